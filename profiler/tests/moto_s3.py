"""An S3-compatible server for tests: moto's standalone server (PyPI `moto[server]`) on a free loopback port.

It is a real HTTP server that boto3 talks to over the network, not a mock of the client. When moto is not
installed the tests that need it fail (scripts/setup.d/20-python.sh installs it), they never skip.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

START_TIMEOUT_S = 90  # moto imports a lot; the test machine is often busy


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ready(endpoint):
    try:
        with urllib.request.urlopen(endpoint + "/moto-api/", timeout=2):
            return True
    except OSError:
        return False


class MotoServer:
    """A running moto server; `endpoint` is its http://127.0.0.1:PORT URL."""

    def __init__(self, log_path):
        try:
            import moto.server  # noqa: F401 -- only to fail with a clear message
        except ImportError as exc:
            pytest.fail("moto is not installed (%s): the S3 tests need its server; "
                        "run scripts/setup.d/20-python.sh (pip install 'moto[server]')" % exc)
        port = _free_port()
        self.endpoint = "http://127.0.0.1:%d" % port
        self._log = open(log_path, "wb")
        self._process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                         stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _ready(self.endpoint):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                with open(log_path, "rb") as log:
                    pytest.fail("moto server did not start on %s: %s" % (self.endpoint, log.read()[-2000:]))
            time.sleep(0.2)

    def env(self):
        """Environment variables that point boto3 (and the AWS SDK for Java) at this server."""
        return {"AWS_ENDPOINT_URL_S3": self.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_EC2_METADATA_DISABLED": "true"}

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            config=Config(s3={"addressing_style": "path"}))

    def stop(self):
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def moto_s3(tmp_path_factory):
    server = MotoServer(os.path.join(str(tmp_path_factory.mktemp("moto")), "moto.log"))
    yield server
    server.stop()
