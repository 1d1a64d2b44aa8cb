from education.rendering import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("## Before\n\nA *short* list:\n\n- one\n- two\n")
    assert "<h2>Before</h2>" in html
    assert "<em>short</em>" in html
    assert "<li>one</li>" in html


def test_script_tags_are_removed():
    html = render_markdown("Hello\n\n<script>alert('x')</script>\n")
    assert "<script" not in html
    assert "alert(" not in html


def test_event_handler_attributes_are_removed():
    html = render_markdown('<img src="x" onerror="alert(1)"> and <a href="/x" onclick="steal()">link</a>')
    assert "onerror" not in html
    assert "onclick" not in html
    assert "<img" not in html  # images are not allowed in the guide at all


def test_javascript_links_are_removed():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html


def test_links_keep_their_address_and_gain_rel():
    html = render_markdown("[NICE](https://www.nice.org.uk/guidance/ta260)")
    assert 'href="https://www.nice.org.uk/guidance/ta260"' in html
    assert "noopener" in html
