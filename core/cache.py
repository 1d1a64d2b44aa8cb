"""Django's RedisCache, keeping one redis client per connection pool.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` for every cache call, and a
redis 5+ client fills a table of about 170 response callbacks when it is made: measured with
cProfile on a signed-in page served from the cache (two calls: the session, then the page), that
was a tenth of the request. A `redis.Redis` is safe to share between threads (each command takes a
connection from the pool), and the pool already is shared, so the client made for a pool is kept
with it. Everything else (pools, servers, serializer, options) is Django's.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
