# A Lambda custom runtime in a few lines of Python, as a runtime no one here wrote in C# would be: it opens a new
# connection for every Runtime API call, echoes each event with its own pid, and hangs on {"hang": true}.
import json
import os
import time
import urllib.request

base = "http://%s/2018-06-01/runtime/invocation/" % os.environ["AWS_LAMBDA_RUNTIME_API"]
while True:
    with urllib.request.urlopen(base + "next") as response:
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read())
    if event.get("hang"):
        time.sleep(3600)
    body = json.dumps({"echo": event, "pid": os.getpid()}).encode()
    urllib.request.urlopen(urllib.request.Request(base + request_id + "/response", data=body, method="POST")).read()
