"""Invoke latency through a connection-per-call runtime, without and then with thousands of TIME_WAIT sockets.

LocalAws (the Release build given as the first argument) serves one function whose environment is AWS's
shell-and-curl tutorial runtime (a new connection, and a new curl process, per Runtime API call). p50 and p99 of
sequential signed Invoke calls are taken on a quiet machine, then after 9,000 loopback connections were closed
client-first (each leaves a TIME_WAIT socket for 60 s), and the ratio printed. Loopback only.
"""
import json, os, socket, statistics, subprocess, sys, tempfile, time

import boto3
from botocore.config import Config

dll, runtime_script = sys.argv[1], sys.argv[2]
calls = int(os.environ.get("CALLS", "200"))
extra = int(os.environ.get("TIME_WAIT", "9000"))
key, secret = "AKIAIOSFODNN7BENCH01", os.urandom(20).hex()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_wait_rows():
    rows = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            rows += sum(1 for line in list(lines)[1:] if line.split()[3] == "06")
    return rows


def make_time_wait(count):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    for _ in range(count):
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        client.close()
        server.close()
    listener.close()


def measure(client):
    latencies = []
    for n in range(calls):
        started = time.perf_counter()
        answer = client.invoke(FunctionName="sh", Payload=json.dumps({"n": n}).encode())
        answer["Payload"].read()
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]


port = free_port()
settings = {"LocalAws": {
    "Principals": [
        {"Name": "admin", "Arn": "arn:aws:iam::000000000000:user/admin", "AccessKeyId": key, "SecretAccessKey": secret,
         "Policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]},
        {"Name": "sh-role", "Arn": "arn:aws:iam::000000000000:role/sh-role"}],
    "Functions": [{"Name": "sh", "Role": "arn:aws:iam::000000000000:role/sh-role", "Timeout": 30}]}}
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as config:
    json.dump(settings, config)
localaws = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}", "--config", config.name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
shell = None
try:
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    shell = subprocess.Popen(["bash", runtime_script], env={**os.environ, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}/sh"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                          aws_access_key_id=key, aws_secret_access_key=secret, config=Config(retries={"max_attempts": 0}))
    measure(client)  # warm-up
    quiet_rows = time_wait_rows()
    quiet = measure(client)
    make_time_wait(extra)
    loaded_rows = time_wait_rows()
    loaded = measure(client)
    print(f"quiet   ({quiet_rows:>5} TIME_WAIT): p50 {quiet[0]:6.1f} ms  p99 {quiet[1]:6.1f} ms  ({calls} calls)")
    print(f"loaded  ({loaded_rows:>5} TIME_WAIT): p50 {loaded[0]:6.1f} ms  p99 {loaded[1]:6.1f} ms  ({calls} calls)")
    print(f"p50 ratio loaded/quiet: {loaded[0] / quiet[0]:.2f}")
finally:
    if shell:
        shell.kill()
    localaws.terminate()
    localaws.wait()
    os.unlink(config.name)
