"""Post, or update in place, the one gitwarden comment of a pull request.

Reads the Markdown the run wrote, finds an earlier comment carrying ``MARKER`` and edits
it, else creates one, so a pull request carries one current gitwarden comment however
often it is pushed to. A token that may not comment (pull requests from forks get a
read-only one) prints a warning and exits 0: the gate's decision is the run's exit code,
not the comment.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import httpx

MARKER = "<!-- gitwarden-pull-request-comment -->"
# GitHub refuses comment bodies over 65536 characters.
MAX_BODY = 65000
PER_PAGE = 100
MAX_PAGES = 30


def comment_body(markdown: str) -> str:
    body = f"{MARKER}\n{markdown}"
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + "\n\n… (truncated; the full report is in the job summary)\n"
    return body


def pull_request_number(env: Mapping[str, str]) -> int | None:
    path = env.get("GITHUB_EVENT_PATH")
    if not path or not Path(path).is_file():
        return None
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    number = payload.get("pull_request", {}).get("number") if isinstance(payload, dict) else None
    return number if isinstance(number, int) else None


def existing_comment(client: httpx.Client, comments_url: str) -> int | None:
    for page in range(1, MAX_PAGES + 1):
        response = client.get(comments_url, params={"per_page": PER_PAGE, "page": page})
        response.raise_for_status()
        comments = response.json()
        for comment in comments:
            if MARKER in (comment.get("body") or ""):
                return int(comment["id"])
        if len(comments) < PER_PAGE:
            return None
    return None


def post_or_update(env: Mapping[str, str], markdown: str) -> str:
    """'created' or 'updated'; raises httpx.HTTPError when GitHub refuses."""
    number = pull_request_number(env)
    if number is None:
        return "skipped: not a pull request"
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repository = env["GITHUB_REPOSITORY"]
    headers = {
        "Authorization": f"Bearer {env['GITHUB_TOKEN']}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    body = {"body": comment_body(markdown)}
    with httpx.Client(headers=headers, timeout=30.0) as client:
        comments_url = f"{api}/repos/{repository}/issues/{number}/comments"
        found = existing_comment(client, comments_url)
        if found is None:
            client.post(comments_url, json=body).raise_for_status()
            return "created"
        client.patch(
            f"{api}/repos/{repository}/issues/comments/{found}", json=body
        ).raise_for_status()
        return "updated"


def main(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    markdown = Path(env["GITWARDEN_MARKDOWN_FILE"]).read_text(encoding="utf-8")
    if not env.get("GITHUB_TOKEN"):
        print("::warning::gitwarden: no github-token; the pull-request comment is skipped")
        return 0
    try:
        outcome = post_or_update(env, markdown)
    except httpx.HTTPError as error:
        print(f"::warning::gitwarden: could not comment on the pull request ({error})")
        return 0
    print(f"gitwarden pull-request comment: {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
