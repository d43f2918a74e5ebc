"""Load for `make bench`: every page and endpoint of the plan, each simulated user picking at random.

Reads the plan (paths, who requests them, their session cookies) written by bench/bench.py. The host is
given by bench.py and is always 127.0.0.1; the run is bounded by locust's -t.
"""

from __future__ import annotations

import json
import os

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())


class Visitor(HttpUser):
    wait_time = between(0.05, 0.2)

    @task
    def visit(self):
        import random

        name = random.choice(list(PLAN["requests"]))  # noqa: S311 - load mix, not security
        request = PLAN["requests"][name]
        cookies = PLAN["cookies"][request["as"]]
        if request["method"] == "GET":
            with self.client.get(
                request["path"], cookies=cookies, name=name, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
        else:
            headers = {"X-CSRFToken": cookies["csrftoken"], "Referer": self.host + request["path"]}
            with self.client.post(
                request["path"],
                data=request["data"],
                cookies=cookies,
                headers=headers,
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"status {response.status_code}")
