# A Lambda custom runtime in a few lines of Python, as a runtime no one here wrote in C# would be: it opens a new
# connection for every Runtime API call, echoes each event with its own pid, and hangs on {"hang": true}. On
# {"answer": "<request id>"} it first tries to answer that invocation, and echoes the status it got.
import json
import os
import time
import urllib.error
import urllib.request

base = "http://%s/2018-06-01/runtime/invocation/" % os.environ["AWS_LAMBDA_RUNTIME_API"]
while True:
    with urllib.request.urlopen(base + "next") as response:
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read())
    if event.get("hang"):
        time.sleep(3600)
    result = {"echo": event, "pid": os.getpid()}
    if "answer" in event:
        try:
            forged = urllib.request.Request(base + event["answer"] + "/response", data=b'{"forged":true}', method="POST")
            with urllib.request.urlopen(forged) as answered:
                result["answered"] = {"status": answered.status, "body": answered.read().decode()}
        except urllib.error.HTTPError as refused:
            result["answered"] = {"status": refused.code, "body": refused.read().decode()}
    body = json.dumps(result).encode()
    urllib.request.urlopen(urllib.request.Request(base + request_id + "/response", data=body, method="POST")).read()
