"""Opening the S3 client reads botocore's models in a thread, never on the event loop: that
work (0.4-0.7 s of CPU on a quiet machine) stalled every request in flight, the readiness
checks among them, when it ran on the loop."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.loaders import JSONFileLoader

from aquastream.adapters.storage.s3 import open_s3_client


async def test_the_client_is_made_without_reading_a_model_on_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    readers: list[tuple[str, int]] = []
    read = JSONFileLoader.load_file

    def recording(self: JSONFileLoader, file_path: str) -> Any:
        readers.append((file_path, threading.get_ident()))
        return read(self, file_path)

    monkeypatch.setattr(JSONFileLoader, "load_file", recording)
    loop_thread = threading.get_ident()

    async with open_s3_client(
        endpoint_url="http://127.0.0.1:9", region="us-east-1", access_key_id="a", secret_access_key="b"
    ) as client:
        assert client.meta.region_name == "us-east-1"

    assert any(path.endswith("service-2") for path, _ in readers)  # the model was read …
    on_the_loop = [path for path, thread in readers if thread == loop_thread]
    assert on_the_loop == []  # … and nothing on the loop
