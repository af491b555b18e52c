"""GitHub's CODEOWNERS semantics, case by case from "About code owners" (docs.github.com)."""

from __future__ import annotations

import pytest

from gitwarden.review.codeowners import CodeOwners, Owner, parse_codeowners

# The example file of GitHub's "About code owners" page, both `/apps/` variants included.
GITHUB_EXAMPLE = """\
# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most precedence.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer.
*.go docs@example.com

# Teams can be specified as code owners as well.
*.txt @octo-org/octocats

# @doctocat owns any files in the build/logs directory at the root of the repository.
/build/logs/ @doctocat

# The `docs/*` pattern will match files like `docs/getting-started.md` but not further
# nested files like `docs/build-app/troubleshooting.md`.
docs/*  docs@example.com

# @octocat owns any file in an apps directory anywhere in your repository.
apps/ @octocat

# @doctocat owns any file in the `/docs` directory in the root of your repository.
/docs/ @doctocat

# Any change inside the `/scripts` directory will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# @octocat owns any file in a `/logs` directory such as `/build/logs`, `/scripts/logs`.
**/logs @octocat

# @octocat owns any file in the `/apps` directory except for `/apps/github`.
/apps/ @octocat
/apps/github @doctocat

# In this example, `/apps/github` has no owners.
/apps/ @octocat
/apps/github
"""


def github(text: str) -> CodeOwners:
    return parse_codeowners(text, ".github/CODEOWNERS", "github")


def owner_line(codeowners: CodeOwners, path: str) -> int | None:
    matches = codeowners.owners_of(path)
    assert len(matches) <= 1
    return matches[0].line if matches else None


@pytest.fixture(scope="module")
def example() -> CodeOwners:
    return github(GITHUB_EXAMPLE)


def test_the_documentation_example_has_no_problems(example: CodeOwners) -> None:
    assert example.problems == ()


def line_of(entry: str) -> int:
    """The number of the last line of the example that starts with ``entry``."""
    lines = GITHUB_EXAMPLE.splitlines()
    return max(n for n, line in enumerate(lines, start=1) if line.startswith(entry))


@pytest.mark.parametrize(
    ("path", "entry"),
    [
        ("README.md", "*  "),  # only the default owners match
        ("src/app.js", "*.js"),  # the later *.js wins over *
        ("cmd/main.go", "*.go"),
        ("notes/todo.txt", "*.txt"),
        ("build/logs/today.log", "**/logs"),  # later than /build/logs/
        ("build/logs/2026/today.log", "**/logs"),
        ("deeply/nested/logs/x.log", "**/logs"),
        ("docs/getting-started.md", "/docs/"),  # later than docs/*
        ("lib/apps/main.py", "apps/"),  # apps/ at any depth
        ("scripts/deploy.sh", "/scripts/"),
        ("apps/web/index.html", "/apps/ "),  # the last of both /apps/ variants
    ],
)
def test_last_matching_pattern_owns_a_path(example: CodeOwners, path: str, entry: str) -> None:
    assert owner_line(example, path) == line_of(entry)


def test_an_entry_without_owners_unsets_ownership(example: CodeOwners) -> None:
    assert example.owners_of("apps/github/workflow.yml") == ()


def test_a_later_owner_overrides_an_earlier_folder_owner() -> None:
    codeowners = github("/apps/ @octocat\n/apps/github @doctocat\n")
    [match] = codeowners.owners_of("apps/github/main.go")
    assert match.owners == (Owner("user", "doctocat"),)


@pytest.mark.parametrize(
    ("path", "owned"),
    [("docs/getting-started.md", True), ("docs/build-app/troubleshooting.md", False)],
)
def test_a_trailing_star_matches_one_folder_level(path: str, owned: bool) -> None:
    codeowners = github("docs/* docs@example.com\n")
    assert bool(codeowners.owners_of(path)) is owned


def test_owners_are_users_teams_and_emails(example: CodeOwners) -> None:
    owners = {
        owner
        for line in ("a.txt", "a.go", "a")
        for m in example.owners_of(line)
        for owner in m.owners
    }
    assert owners == {
        Owner("team", "octo-org/octocats"),
        Owner("email", "docs@example.com"),
        Owner("user", "global-owner1"),
        Owner("user", "global-owner2"),
    }


def test_an_inline_comment_is_not_an_owner(example: CodeOwners) -> None:
    [match] = example.owners_of("index.js")
    assert match.owners == (Owner("user", "js-owner"),)


@pytest.mark.parametrize(("path", "owned"), [("src/App.JS", True), ("src/app.js", False)])
def test_paths_are_case_sensitive(path: str, owned: bool) -> None:
    codeowners = github("*.JS @js-owner\n")
    assert bool(codeowners.owners_of(path)) is owned


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("!*.js @js-owner", "negating"),
        ("*.[jt]s @js-owner", "character ranges"),
        ("\\#notes.md @js-owner", "escaping a leading `#`"),
        ("/ @js-owner", "did you mean `*`"),
        ("a/***/b @js-owner", "three consecutive asterisks"),
    ],
)
def test_unsupported_pattern_syntax_is_a_finding_and_the_line_is_skipped(
    line: str, reason: str
) -> None:
    codeowners = github(f"* @default\n{line}\n")
    [problem] = codeowners.problems
    assert problem.rule_id == "codeowners-invalid-pattern"
    assert (problem.location.file, problem.location.line) == (".github/CODEOWNERS", 2)
    assert reason in problem.message
    # Skipped, not widened: the default owner still owns what the line tried to name.
    assert [m.line for m in codeowners.owners_of("src/a.js")] == [1]
    assert [m.line for m in codeowners.owners_of("#notes.md")] == [1]


@pytest.mark.parametrize(
    "owner", ["user", "@@maintainer", "@org/team/sub", "@-leading-hyphen", "@a" + "b" * 39]
)
def test_an_invalid_owner_skips_the_whole_line(owner: str) -> None:
    codeowners = github(f"* @default\n*.js @js-owner {owner}\n")
    [problem] = codeowners.problems
    assert problem.rule_id == "codeowners-invalid-owner"
    assert (problem.location.line, problem.location.column) == (2, 16)
    assert [m.owners for m in codeowners.owners_of("a.js")] == [(Owner("user", "default"),)]


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("@octocat", Owner("user", "octocat")),
        ("@octo-org/octocats", Owner("team", "octo-org/octocats")),
        ("@octo-org/team_name.v2", Owner("team", "octo-org/team_name.v2")),
        ("docs@example.com", Owner("email", "docs@example.com")),
    ],
)
def test_valid_owner_forms_are_read_by_kind(owner: str, expected: Owner) -> None:
    codeowners = github(f"* {owner}\n")
    assert codeowners.problems == ()
    assert codeowners.owners_of("a")[0].owners == (expected,)


def test_a_hash_at_the_start_of_a_line_is_a_comment() -> None:
    codeowners = github("  # * @commented\n")
    assert (codeowners.rules, codeowners.problems) == ((), ())


def test_escaped_spaces_belong_to_the_pattern() -> None:
    codeowners = github("path\\ with\\ spaces/ @space-owner\n")
    [match] = codeowners.owners_of("path with spaces/a.md")
    assert match.owners == (Owner("user", "space-owner"),)


def test_github_matches_have_no_section_and_need_one_approval(example: CodeOwners) -> None:
    [match] = example.owners_of("README.md")
    assert (match.section, match.approvals_required, match.optional) == (None, 1, False)


def test_a_problem_finding_points_at_the_offending_column() -> None:
    [problem] = github("*.js   @ok   bad\n").problems
    assert (problem.location.line, problem.location.column) == (1, 14)
    assert "`bad`" in problem.message
