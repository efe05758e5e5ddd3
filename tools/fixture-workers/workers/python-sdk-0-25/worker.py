"""Fixture worker on iii-sdk 0.25.0 (PyPI): typed functions (schemas from pydantic models and type hints), an
observable function that owns its observers (an `observe` descriptor with args_format), and a trigger type through
the deprecated API. The SDK reads the engine URL from III_URL (the collector sets it). Its expected interface is
expected-interface.json."""
import signal
import threading
import warnings

from pydantic import BaseModel

from iii import InitOptions, ObserveHooks, register_worker
from iii.iii_types import RegisterTriggerTypeInput
from iii.trigger import TriggerHandler


class AddRequest(BaseModel):
    a: int
    b: int


class AddResponse(BaseModel):
    sum: int


class Price(BaseModel):
    sku: str
    cents: int


class PriceFilter(BaseModel):
    sku: str | None = None


class QueueConfig(BaseModel):
    queue: str
    batch: int = 1


class Schedules(TriggerHandler):
    async def register_trigger(self, config):
        pass

    async def unregister_trigger(self, config):
        pass


def add(data: AddRequest) -> AddResponse:
    return AddResponse(sum=data.a + data.b)


def price_changed(data: Price) -> Price:
    return data


def tags(data: dict[str, str]) -> list[str]:
    return sorted(data)


iii = register_worker(options=InitOptions(worker_name="python-sdk-0-25", otel={"enabled": False}))
iii.register_function("py025::add", add, description="Adds two integers", metadata={"owner": "shelf"})
iii.register_function(
    "py025::price-changed",
    price_changed,
    description="Emitted when a price changes",
    observe=ObserveHooks(delivery="owner", args_format=PriceFilter),
)
iii.register_function("py025::tags", tags)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    iii.register_trigger_type(
        RegisterTriggerTypeInput(id="py025::queue", description="Delivers queue messages", trigger_request_format=QueueConfig),
        Schedules(),
    )

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
iii.shutdown()
