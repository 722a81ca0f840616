"""The shared request queue with leases: a popped request is not gone until acknowledged.

scrapy-redis's ``PriorityQueue`` (a sorted set of pickled requests) pops a request and
forgets it: a worker killed with requests in flight loses them. Here a pop moves the request
into a lease (``leases``: lease id -> deadline, ``leased``: lease id -> request) in one
Lua script; the worker renews its leases while it lives and acknowledges each one when the
engine is done with the request. Every pop first puts expired leases back in the queue
(with their priority), so a worker killed with ``kill -9`` costs its leases' time, not
their URLs. A request whose lease expired ``max_reclaims`` times (it kills every worker
that takes it, say) is set aside in ``abandoned`` instead of going round for ever.

Deadlines use the Redis server's clock (``TIME``), so workers on machines whose clocks
disagree still agree on when a lease expires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import PriorityQueue

if TYPE_CHECKING:
    from redis import Redis
    from scrapy import Request, Spider

    from crawler.scale.connection import FrontierKeys

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: queue leases leased lease_scores reclaims abandoned
# ARGV: max_reclaims  ->  number of leases put back (or set aside)
_RECLAIM = _NOW + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 256)
for _, id in ipairs(expired) do
  local data = redis.call('HGET', KEYS[3], id)
  local score = redis.call('HGET', KEYS[4], id) or '0'
  redis.call('ZREM', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  if data then
    local times = redis.call('HINCRBY', KEYS[5], redis.sha1hex(data), 1)
    if times > tonumber(ARGV[1]) then
      redis.call('RPUSH', KEYS[6], data)
    else
      redis.call('ZADD', KEYS[1], score, data)
    end
  end
end
return #expired
"""

# KEYS: queue leases leased lease_scores lease_seq
# ARGV: lease_ms worker_id  ->  {lease id, request} or {}
_POP = _NOW + """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return {} end
redis.call('ZREM', KEYS[1], top[1])
local id = ARGV[2] .. ':' .. redis.call('INCR', KEYS[5])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
redis.call('HSET', KEYS[3], id, top[1])
redis.call('HSET', KEYS[4], id, top[2])
return {id, top[1]}
"""

# KEYS: leases workers   ARGV: lease_ms worker_id heartbeat_ms lease ids...
_RENEW = _NOW + """
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2])
local renewed = 0
for i = 4, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
return renewed
"""

# KEYS: queue leases leased lease_scores   ARGV: lease ids...  (back in the queue now)
_RELEASE = """
for i = 1, #ARGV do
  local data = redis.call('HGET', KEYS[3], ARGV[i])
  if data and redis.call('ZREM', KEYS[2], ARGV[i]) == 1 then
    redis.call('ZADD', KEYS[1], redis.call('HGET', KEYS[4], ARGV[i]) or '0', data)
  end
  redis.call('HDEL', KEYS[3], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
end
return #ARGV
"""


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, with leased pops (see the module docstring).

    :param keys: the frontier's key names
    :param lease_ms: how long a lease lasts unless renewed
    :param max_reclaims: expiries after which a request is set aside
    """

    def __init__(self, server: Redis, spider: Spider, keys: FrontierKeys, lease_ms: int,
                 max_reclaims: int, worker: str, serializer: Any = None) -> None:
        super().__init__(server, spider, keys.queue, serializer)
        self.keys = keys
        self.lease_ms = lease_ms
        self.max_reclaims = max_reclaims
        self.worker = worker
        self._reclaim = server.register_script(_RECLAIM)
        self._pop = server.register_script(_POP)
        self._renew = server.register_script(_RENEW)
        self._release = server.register_script(_RELEASE)

    def push(self, request: Request) -> None:
        # The lease a redirect hop or a retry inherited in its meta is its parent's.
        request.meta.pop("frontier_lease", None)
        super().push(request)

    def reclaim(self) -> int:
        """Put expired leases back in the queue: how many there were."""
        k = self.keys
        return int(self._reclaim(
            keys=[k.queue, k.leases, k.leased, k.lease_scores, k.reclaims, k.abandoned],
            args=[self.max_reclaims]))

    def pop_leased(self) -> tuple[str, Request] | None:
        """The next request and its lease id, or None when the queue is empty."""
        k = self.keys
        found = self._pop(keys=[k.queue, k.leases, k.leased, k.lease_scores, k.lease_seq],
                          args=[self.lease_ms, self.worker])
        if not found:
            return None
        lease, data = found
        return lease.decode(), self._decode_request(data)

    def renew(self, leases: list[str], heartbeat_ms: int) -> int:
        """Extend this worker's leases and its heartbeat; the number still held."""
        k = self.keys
        return int(self._renew(keys=[k.leases, k.workers],
                               args=[self.lease_ms, self.worker, heartbeat_ms, *leases]))

    def ack(self, leases: list[str]) -> None:
        """The engine is done with these requests: forget them."""
        if not leases:
            return
        k = self.keys
        with self.server.pipeline() as pipe:
            pipe.zrem(k.leases, *leases)
            pipe.hdel(k.leased, *leases)
            pipe.hdel(k.lease_scores, *leases)
            pipe.execute()

    def release(self, leases: list[str]) -> None:
        """Put requests this worker will not finish back in the queue at once."""
        if leases:
            k = self.keys
            self._release(keys=[k.queue, k.leases, k.leased, k.lease_scores], args=leases)

    def pending(self) -> tuple[int, int]:
        """Requests queued, and leased (in flight somewhere, or expired and to be put back)."""
        with self.server.pipeline() as pipe:
            pipe.zcard(self.keys.queue)
            pipe.zcard(self.keys.leases)
            queued, leased = pipe.execute()
        return int(queued), int(leased)
