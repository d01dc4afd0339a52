"""Starting and stopping pca-server for the tests in tests/server/.

Every test starts its own server on 127.0.0.1 port 0 with a temporary data directory, reads
the port from the "listening on 127.0.0.1:<port>" line, and always stops it (SIGTERM, then
SIGKILL after a bounded wait). Nothing here reaches the network.
"""
import argparse
import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time

REGION = "us-east-1"
ACCOUNT = "123456789012"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True, help="path to the pca-server executable")
    return p.parse_args()


class Server:
    def __init__(self, exe, data_dir, extra_args=(), env=None):
        self.exe = exe
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.env = env
        self.proc = None
        self.port = None
        self.stderr_path = os.path.join(os.path.dirname(data_dir.rstrip("/")), "server-%d.err" % time.time_ns())

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=60):
        args = [self.exe, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir] + self.extra_args
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._err, env=self.env)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                self.stop()
                raise RuntimeError("pca-server did not print its port within %ds" % timeout)
            ch = self.proc.stdout.read1(1) if hasattr(self.proc.stdout, "read1") else self.proc.stdout.read(1)
            if not ch:
                self.stop()
                raise RuntimeError("pca-server exited before listening: " + self.stderr())
            line += ch
        text = line.decode().strip()
        prefix = "listening on 127.0.0.1:"
        if not text.startswith(prefix):
            self.stop()
            raise RuntimeError("unexpected first line from pca-server: %r" % text)
        self.port = int(text[len(prefix):])
        return self

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout=30):
        """SIGTERM; returns the exit code (SIGKILL after `timeout` seconds)."""
        if self.proc is None:
            return None
        rc = self.proc.poll()
        if rc is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait(10)
                print("pca-server did not stop within %ds of SIGTERM; killed" % timeout, file=sys.stderr)
                rc = "killed"
        self.proc.stdout.close()
        self._err.close()
        self.proc = None
        return rc

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        rc = self.stop()
        if exc[0] is None and rc != 0:
            raise AssertionError("pca-server exited with %r; stderr:\n%s" % (rc, self.stderr()))
        return False


@contextlib.contextmanager
def temp_dir():
    with tempfile.TemporaryDirectory(prefix="pca-server-test-") as d:
        yield d


def boto3_client(endpoint, access_key="test", secret_key="test", unsigned=False, check_model=True):
    import boto3
    import botocore.config
    from botocore import UNSIGNED

    cfg = dict(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60)
    if unsigned:
        cfg["signature_version"] = UNSIGNED
    client = boto3.session.Session().client(
        "acm-pca",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=botocore.config.Config(**cfg),
    )
    if check_model:
        client.meta.events.register("after-call.acm-pca", check_response_against_model)
    return client


def _check_value(value, shape, path):
    t = shape.type_name
    if t == "structure":
        assert isinstance(value, dict), "%s: expected an object, got %r" % (path, value)
        for k, v in value.items():
            assert k in shape.members, "%s: member %r is not in the model's %s" % (path, k, shape.name)
            _check_value(v, shape.members[k], path + "." + k)
    elif t == "list":
        assert isinstance(value, list), "%s: expected a list" % path
        for i, v in enumerate(value):
            _check_value(v, shape.member, "%s[%d]" % (path, i))
    elif t == "string":
        assert isinstance(value, str), "%s: expected a string, got %r" % (path, value)
        if shape.enum:
            assert value in shape.enum, "%s: %r is not one of %s" % (path, value, shape.enum)
    elif t == "timestamp":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), "%s: timestamps are epoch seconds, got %r" % (path, value)
    elif t in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), "%s: expected an integer" % path
    elif t == "boolean":
        assert isinstance(value, bool), "%s: expected a boolean" % path
    elif t == "blob":
        assert isinstance(value, str), "%s: blobs are base64 strings" % path


def check_response_against_model(http_response, parsed, model, **kwargs):
    """Every member of every 200 response is in the operation's output shape, with the model's type."""
    if http_response.status_code != 200:
        body = json.loads(http_response.content)
        assert set(body) <= {"__type", "message"}, body
        assert http_response.status_code in (400, 403, 413), http_response.status_code
        return
    raw = http_response.content
    body = json.loads(raw) if raw else {}
    if model.output_shape is None:
        assert body == {}, "%s has no output, got %r" % (model.name, body)
        return
    _check_value(body, model.output_shape, model.name)
    for name in model.output_shape.required_members:
        assert name in body, "%s: required member %s missing" % (model.name, name)
