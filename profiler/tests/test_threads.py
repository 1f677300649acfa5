"""Code a handler runs in threads it starts counts as used (a thread pool running a web framework's sync routes:
FastAPI's `def` endpoints under Mangum). sys.setprofile covers the calling thread only."""

from conftest import profile_app, write_app

APP = {
    "handler.py": """
        from concurrent.futures import ThreadPoolExecutor

        import worker_only

        POOL = ThreadPoolExecutor(max_workers=1)


        def handler(event, context):
            return POOL.submit(worker_only.work, 2).result()
        """,
    "worker_only.py": """
        def work(n):
            return n * 21
        """,
    "events/a.json": {},
}


def test_code_run_in_a_thread_the_handler_starts_is_used(tmp_path):
    profile = profile_app(write_app(tmp_path, APP), extra=["--cold-starts", "1", "--invocations", "2",
                                                           "--usage-signal", "setprofile"])
    cold_start = profile["coldStarts"][0]
    assert cold_start["moduleUsage"]["worker_only"]["executed"] is True
    assert "worker_only" in cold_start["invocations"][0]["modulesExecuted"]
