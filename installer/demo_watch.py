#!/usr/bin/python3
"""Shows the demo company's datasets moving through their states, as they happen.

Follows the hub's log, where every dataset transition is one line
    dataset <id> <dataType>: <From> -> <To>
and, for the datasets it has not seen move yet, the client API's /data/history. Returns when no
dataset of the company is in progress any more (or fails after --timeout seconds).
"""
import argparse
import base64
import json
import re
import ssl
import sys
import time
import urllib.request

TRANSITION = re.compile(r"dataset (\S+) (\w+): (\w+) -> (\w+)")
TERMINAL = {"Complete", "NotSupported", "Cancelled", "FetchError", "MapError", "InternalError",
            "ProcessingError", "ValidationError", "AuthError", "RateLimitError",
            "PermissionsError", "PrerequisiteNotMet"}


def history(args, context, auth):
    url = f"{args.hub_url}/companies/{args.company}/data/history?pageSize=5000"
    request = urllib.request.Request(url, headers={"Authorization": auth})
    with urllib.request.urlopen(request, context=context, timeout=10) as reply:
        return json.load(reply)["results"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub-url", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--api-key-file", required=True)
    parser.add_argument("--company", required=True)
    parser.add_argument("--hub-log", required=True)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    context = ssl.create_default_context(cafile=args.ca)
    key = open(args.api_key_file).read().strip()
    auth = "Basic " + base64.b64encode(key.encode()).decode()
    known = {d["id"]: d["dataType"] for d in history(args, context, auth)}
    paths = {}
    deadline = time.monotonic() + args.timeout
    offset = 0
    while True:
        with open(args.hub_log, errors="replace") as log:
            log.seek(offset)
            chunk = log.read()
            offset = log.tell()
        for match in TRANSITION.finditer(chunk):
            dataset, data_type, _, to = match.groups()
            if dataset not in known:
                continue
            path = paths.setdefault(dataset, ["Queued"])
            path.append(to)
            if to in TERMINAL:  # each dataset's whole journey, as the hub logged it
                mark = "✔" if to == "Complete" else "✘"
                print(f"  {mark} {data_type:<16} {' → '.join(path)}", flush=True)
        datasets = history(args, context, auth)
        if datasets and all(d["status"] in TERMINAL for d in datasets):
            break
        if time.monotonic() > deadline:
            print("demo: datasets still in progress after the timeout:", file=sys.stderr)
            for d in datasets:
                if d["status"] not in TERMINAL:
                    print(f"  {d['dataType']}: {d['status']} {d.get('statusDescription') or ''}",
                          file=sys.stderr)
            return 1
        time.sleep(0.2)
    for d in datasets:
        if d["status"] != "Complete":
            print(f"  {d['dataType']}: {d['status']}: {d.get('errorMessage') or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
