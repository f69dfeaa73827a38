"""Writes a wrk Lua script that replays one SigV4-signed AWS JSON request, signed by botocore (a real AWS client).

usage: sign-request.py <endpoint> <service> <target> <json-body> <out.lua>
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. The signature stays valid for 5 minutes.
"""
import os
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint, service, target, body, out = sys.argv[1:6]
request = AWSRequest(method="POST", url=endpoint + "/", data=body.encode(),
                     headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target})
SigV4Auth(Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]), service, "us-east-1").add_auth(request)


def lua(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


with open(out, "w", encoding="utf-8") as script:
    script.write('wrk.method = "POST"\n')
    script.write(f"wrk.body = {lua(body)}\n")
    for name, value in request.headers.items():
        if name.lower() != "host":  # wrk sends the URL's host:port, which is what was signed
            script.write(f"wrk.headers[{lua(name)}] = {lua(value)}\n")
