"""Write static/css/theme-auto.css: the dim theme for "same as my device", and light colours in print.

Bootstrap 5.3 puts its dark colours under [data-bs-theme=dark] only, and the app's own dark
colours (static/css/app.css) follow the same rule. A page whose person chose "same as my device"
has data-bs-theme="system"; without JavaScript, only CSS can follow the device, so every top-level
[data-bs-theme=dark] rule of both files is written again for [data-bs-theme=system] inside
@media screen and (prefers-color-scheme: dark). Pages print light whatever the theme: every
top-level :root or [data-bs-theme=light] rule (the light colour variables) is written again for
any [data-bs-theme] inside @media print.

Run it after changing either file's theme rules (tests/test_theme.py fails until it is run):

    .venv/bin/python scripts/build_theme_css.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "static/vendor/bootstrap/bootstrap.min.css", ROOT / "static/css/app.css"]
OUTPUT = ROOT / "static/css/theme-auto.css"
DARK = "[data-bs-theme=dark]"
LIGHT = ("[data-bs-theme=light]", ":root")


def top_level_rules(css):
    """(prelude, body) of each top-level block of `css`; comments dropped, strings kept whole."""
    rules, depth, start, body_start, prelude = [], 0, 0, 0, ""
    index, length = 0, len(css)
    while index < length:
        char = css[index]
        if css.startswith("/*", index):
            end = css.find("*/", index + 2)
            end = length if end == -1 else end + 2
            css = css[:index] + css[end:]
            length = len(css)
            continue
        if char in "\"'":
            end = index + 1
            while end < length and css[end] != char:
                end += 2 if css[end] == "\\" else 1
            index = end + 1
            continue
        if char == "{":
            if depth == 0:
                prelude, body_start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append((prelude, css[body_start:index].strip()))
                start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1  # a statement such as @charset
        index += 1
    return rules


def selectors(prelude):
    return [part.strip() for part in prelude.split(",")]


def theme_rules(css, name):
    dark, light = [], []
    for prelude, body in top_level_rules(css):
        if prelude.startswith("@"):
            if DARK in body:
                sys.exit(f"{name}: a {DARK} rule inside {prelude}: write it at the top level, or teach this script")
            continue
        parts = selectors(prelude)
        themed = [part for part in parts if part.startswith(DARK)]
        if themed:
            renamed = ",".join(part.replace(DARK, "[data-bs-theme=system]", 1) for part in themed)
            dark.append(f"{renamed}{{{body}}}")
        if any(part in LIGHT for part in parts):
            light.append(body.rstrip(";"))
    return dark, light


def build():
    dark, light = [], []
    for source in SOURCES:
        more_dark, more_light = theme_rules(source.read_text(encoding="utf-8"), source.name)
        dark += more_dark
        light += more_light
    names = " and ".join(source.relative_to(ROOT).as_posix() for source in SOURCES)
    return (
        f"/* Made by scripts/build_theme_css.py from {names}: do not edit, run the script. */\n"
        "@media screen and (prefers-color-scheme: dark) {\n"
        + "".join(f"{rule}\n" for rule in dark)
        + "}\n@media print {\n[data-bs-theme]{color-scheme:light;"
        + ";".join(light)
        + "}\n}\n"
    )


if __name__ == "__main__":
    OUTPUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
