"""The two pattern languages, path by path, and the one matcher that runs them."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess

import pytest

from gitwarden.review.codeowners_patterns import (
    MAX_PATTERN_CHARS,
    PatternError,
    PatternSet,
    github_regex,
    gitlab_regex,
)


def github_matches(pattern: str, path: str) -> bool:
    return re.fullmatch(github_regex(pattern), path) is not None


def gitlab_matches(pattern: str, path: str) -> bool:
    return re.fullmatch(gitlab_regex(pattern), path) is not None


# GitHub: .gitignore rules with GitHub's documented differences.
@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        # No `/`: any depth, the file or the folder and all below it.
        ("foo", "foo", True),
        ("foo", "bar/foo", True),
        ("foo", "bar/foo/baz", True),
        ("foo", "foo.txt", False),
        ("*.js", "a/b/c.js", True),
        ("*.js", "a/b/c.jsx", False),
        # A leading `/` anchors at the root.
        ("/foo", "foo/bar", True),
        ("/foo", "bar/foo", False),
        # A `/` in the middle anchors too.
        ("foo/bar", "foo/bar/baz", True),
        ("foo/bar", "x/foo/bar", False),
        # A trailing `/` is the folder's contents, at any depth unless anchored.
        ("apps/", "apps", False),
        ("apps/", "x/apps/y/z", True),
        ("/build/logs/", "build/logs/a/b", True),
        ("/build/logs/", "x/build/logs/a", False),
        # `*` stays in one folder; a lone `*` as the last segment is one level only.
        ("docs/*", "docs/getting-started.md", True),
        ("docs/*", "docs/build-app/troubleshooting.md", False),
        ("/*", "README.md", True),
        ("/*", "docs/README.md", False),
        ("*", "a/b/c", True),
        ("foo/*.txt", "foo/bar/baz.txt", False),
        # `**` crosses folders.
        ("**/logs", "deeply/nested/logs/x", True),
        ("**/logs", "logs", True),
        ("foo/**/bar", "foo/bar", True),
        ("foo/**/bar", "foo/a/b/bar/c", True),
        ("foo/**", "foo/a/b", True),
        ("foo/**", "foo", False),
        # `?` is one character, never `/`.
        ("f?o", "fao", True),
        ("f?o", "f/o", False),
        # Backslash escapes; case matters.
        ("f\\*o", "f*o", True),
        ("f\\*o", "fxo", False),
        ("README.md", "readme.md", False),
    ],
)
def test_github_pattern(pattern: str, path: str, matches: bool) -> None:
    assert github_matches(pattern, path) is matches


@pytest.mark.parametrize(
    "pattern", ["!foo", "[ab]", "docs/[a-z]*", "\\#foo", "/", "a/***", "trailing\\"]
)
def test_github_refuses_syntax_it_does_not_support(pattern: str) -> None:
    with pytest.raises(PatternError):
        github_regex(pattern)


# GitLab: `/**/` prepended unless anchored, `**/*` after a trailing `/`, then Ruby's
# File.fnmatch with FNM_PATHNAME | FNM_DOTMATCH.
@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("README.md", "README.md", True),
        ("README.md", "a/b/README.md", True),
        ("docs", "docs", True),
        ("docs", "docs/a", False),  # no trailing `/`: exactly that path
        ("docs/", "docs/a/b", True),
        ("docs/", "x/docs/a", True),  # relative paths match at any depth
        ("/docs/", "x/docs/a", False),
        ("/docs/*", "docs/a", True),
        ("/docs/*", "docs/a/b", False),
        ("/docs/**", "docs/a", True),  # `**` not before `/` is one `*`
        ("/docs/**", "docs/a/b", False),
        ("/docs/**/index.md", "docs/index.md", True),
        ("/docs/**/index.md", "docs/a/b/index.md", True),
        ("*", ".hidden/.file", True),
        ("*.rb", "app/.hidden.rb", True),
        ("[a-c].md", "b.md", True),
        ("[a-c].md", "d.md", False),
        ("[!a-c].md", "d.md", True),
        ("[^a-c].md", "a.md", False),
        ("a[!x]b", "a/b", False),
        ("\\[x\\].md", "[x].md", True),
        ("{a,b}.md", "a.md", False),  # no brace expansion without FNM_EXTGLOB
        ("{a,b}.md", "{a,b}.md", True),
        ("\\#notes", "#notes", True),
        ("with\\ space", "with space", True),
        ("with\\ \\ two", "with  two", True),
        ("a?c", "a/c", False),
    ],
)
def test_gitlab_pattern(pattern: str, path: str, matches: bool) -> None:
    assert gitlab_matches(pattern, path) is matches


# A bracket never matches `/`, a reversed range nothing: such patterns own nothing.
@pytest.mark.parametrize("pattern", ["[abc", "[]", "a[\\", "", "a[/]b", "[z-a].md"])
def test_gitlab_refuses_patterns_that_never_match(pattern: str) -> None:
    with pytest.raises(PatternError):
        gitlab_regex(pattern)


@pytest.mark.parametrize("translate", [github_regex, gitlab_regex])
def test_patterns_longer_than_the_bound_are_refused(translate: object) -> None:
    assert callable(translate)
    with pytest.raises(PatternError, match="longer than"):
        translate("a" * (MAX_PATTERN_CHARS + 1))


def test_a_pattern_set_reports_every_match_in_order() -> None:
    regexes = [github_regex(p) for p in ("*", "*.md", "/docs/", "*.go")]
    patterns = PatternSet(regexes)
    assert patterns.matching("docs/a.md") == [0, 1, 2]
    assert patterns.matching("main.go") == [0, 3]


def test_a_pattern_set_spans_many_chunks() -> None:
    regexes = [github_regex(f"/dir{i}/") for i in range(1000)]
    patterns = PatternSet(regexes)
    assert patterns.matching("dir999/x") == [999]
    assert patterns.matching("dir0/x") == [0]
    assert patterns.matching("elsewhere") == []


def test_a_set_that_runs_out_of_memory_falls_back_to_single_patterns() -> None:
    # A tiny budget makes RE2's set fail; the answer must stay the same, never "no owner".
    regexes = [github_regex(f"**/*{i}*/x{i}") for i in range(300)]
    starved = PatternSet(regexes, memory=1 << 10)
    roomy = PatternSet(regexes)
    for path in ("a/17/x17", "b/c/2999/x299", "nothing"):
        assert starved.matching(path) == roomy.matching(path)
    assert roomy.matching("a/17/x17") == [17]
    assert (starved.chunks_matched_singly, roomy.chunks_matched_singly) == (3, 0)


def test_matching_is_linear_in_a_hostile_path() -> None:
    # Nested stars over a long run of `a`s backtrack exponentially in Python's re.
    regex = gitlab_regex("*a*a*a*a*a*a*a*a*a*a*a*b")
    patterns = PatternSet([regex])
    assert patterns.matching("a" * 5000) == []


# GitLab's own normalisation (ee/lib/gitlab/code_owners/file.rb) and Ruby's File.fnmatch,
# run by Ruby itself: the oracle for `gitlab_regex`.
_RUBY_FNMATCH = r"""
require "json"
def normalize(p)
  p = p.sub(/\A\\#/, "#").gsub(/\\\s+/, " ")
  return "/**/*" if p == "*"
  p = "/**/#{p}" unless p.start_with?("/")
  p = "#{p}**/*" if p.end_with?("/")
  p
end
flags = File::FNM_DOTMATCH | File::FNM_PATHNAME
answers = JSON.parse(STDIN.read).map do |pat, path|
  File.fnmatch?(normalize(pat), "/" + path, flags)
end
puts JSON.dump(answers)
"""


def _random_cases(count: int) -> list[tuple[str, str]]:
    pieces = ["a", "b", ".", "*", "**", "?", "/", "[a-c]", "[!a]", "[^b]", "\\*", "\\#", "#"]
    pieces += ["x", ".h", "[]a]", "[a-]", "[-a]", "\\", "[", "]", "{a,b}", "-", "\\]"]
    levels = ["a", "b", "ab", ".h", "a.b", "x", "*", "#", "]", "-", "[", "{a,b}", "aa", "ba"]
    generator = random.Random(15)
    cases = []
    for _ in range(count):
        pattern = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 6)))
        pattern = ("/" if generator.random() < 0.3 else "") + pattern
        pattern += "/" if generator.random() < 0.2 else ""
        path = "/".join(generator.choice(levels) for _ in range(generator.randint(1, 4)))
        cases.append((pattern, path))
    return cases


@pytest.mark.skipif(shutil.which("ruby") is None, reason="needs ruby for File.fnmatch")
def test_gitlab_patterns_agree_with_ruby_fnmatch() -> None:
    cases = _random_cases(3000)
    done = subprocess.run(
        ["ruby", "-e", _RUBY_FNMATCH],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(done.stdout)
    assert sum(expected) > 100  # the sample holds many matches, not only misses
    disagreements = []
    for (pattern, path), ruby_says in zip(cases, expected, strict=True):
        try:
            ours = gitlab_matches(pattern, path)
        except PatternError:
            ours = False  # refused as never matching
        if ours != ruby_says:
            disagreements.append((pattern, path, ruby_says))
    assert disagreements == []
