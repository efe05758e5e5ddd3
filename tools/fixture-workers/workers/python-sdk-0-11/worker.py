"""Fixture worker on iii-sdk 0.11.3 (PyPI): typed functions whose schemas the SDK derives from pydantic models and
type hints, and a trigger type. The engine URL comes from III_URL (the collector sets it). Its expected interface is
expected-interface.json."""
import os
import signal
import threading

from pydantic import BaseModel, Field

from iii import InitOptions, RegisterTriggerTypeInput, TriggerHandler, register_worker


class AddRequest(BaseModel):
    a: int
    b: int


class AddResponse(BaseModel):
    sum: int


class NoteIn(BaseModel):
    title: str = Field(description="Shown in lists")
    body: str | None = None


class NoteOut(BaseModel):
    id: str
    tags: list[str]


class ScheduleConfig(BaseModel):
    cron: str


class ScheduleEvent(BaseModel):
    fired_at: str


class Schedules(TriggerHandler):
    async def register_trigger(self, config):
        pass

    async def unregister_trigger(self, config):
        pass


def add(data: AddRequest) -> AddResponse:
    return AddResponse(sum=data.a + data.b)


async def save_note(data: NoteIn) -> NoteOut:
    return NoteOut(id=data.title.lower(), tags=[])


def word_count(text: str) -> int:
    return len(text.split())


iii = register_worker(os.environ["III_URL"], InitOptions(worker_name="python-sdk-0-11", otel={"enabled": False}))
iii.register_function("py011::add", add, description="Adds two integers")
iii.register_function("py011::save-note", save_note, description="Saves a note", metadata={"tags": ["fixture"]})
iii.register_function("py011::word-count", word_count)
iii.register_trigger_type(
    RegisterTriggerTypeInput(
        id="py011::schedule",
        description="Fires on a cron schedule",
        trigger_request_format=ScheduleConfig,
        call_request_format=ScheduleEvent,
    ),
    Schedules(),
)

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
iii.shutdown()
