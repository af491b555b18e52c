"""GitLab's CODEOWNERS semantics, case by case from GitLab's "Syntax of CODEOWNERS file" and
"Advanced CODEOWNERS configuration" pages (docs.gitlab.com/user/project/codeowners/)."""

from __future__ import annotations

import pytest

from gitwarden.review.codeowners import CodeOwners, Owner, parse_codeowners


def gitlab(text: str) -> CodeOwners:
    return parse_codeowners(text, "CODEOWNERS", "gitlab")


def owners_by_section(codeowners: CodeOwners, path: str) -> dict[str | None, set[str]]:
    return {
        match.section: {owner.text for owner in match.owners}
        for match in codeowners.owners_of(path)
    }


# "Sections" in the syntax page: README owners by section.
README_SECTIONS = """\
* @admin

[README Owners]
README.md @user1 @user2
internal/README.md @user4

[README other owners]
README.md @user3
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "README.md",
            {
                None: {"@admin"},
                "README Owners": {"@user1", "@user2"},
                "README other owners": {"@user3"},
            },
        ),
        (
            "internal/README.md",
            {None: {"@admin"}, "README Owners": {"@user4"}, "README other owners": {"@user3"}},
        ),
    ],
)
def test_each_section_contributes_its_last_matching_entry(
    path: str, expected: dict[str | None, set[str]]
) -> None:
    assert owners_by_section(gitlab(README_SECTIONS), path) == expected


def test_sections_are_reported_in_file_order_with_the_unnamed_one_first() -> None:
    sections = [m.section for m in gitlab(README_SECTIONS).owners_of("README.md")]
    assert sections == [None, "README Owners", "README other owners"]


# "Regular entries and sections" in the advanced page.
REGULAR_AND_SECTIONS = """\
# Required for all files
* @general-approvers

[Documentation] @docs-team
docs/
README.md
*.txt

[Database] @database-team
model/db/
config/db/database-setup.md @docs-team
"""


def test_a_change_needs_one_approval_from_each_owning_section() -> None:
    owners = owners_by_section(gitlab(REGULAR_AND_SECTIONS), "model/db/CHANGELOG.txt")
    assert owners == {
        None: {"@general-approvers"},
        "Documentation": {"@docs-team"},
        "Database": {"@database-team"},
    }


@pytest.mark.parametrize(
    ("path", "owner"),
    [("model/db/schema.rb", "@database-team"), ("config/db/database-setup.md", "@docs-team")],
)
def test_entries_inherit_the_section_default_owners_unless_they_name_their_own(
    path: str, owner: str
) -> None:
    assert owners_by_section(gitlab(REGULAR_AND_SECTIONS), path)["Database"] == {owner}


def test_the_documentation_examples_have_no_problems() -> None:
    assert gitlab(REGULAR_AND_SECTIONS).problems == ()
    assert gitlab(README_SECTIONS).problems == ()


# "Default Code Owners and optional sections" and "Require multiple approvals".
APPROVALS = """\
[Documentation][2] @docs-team
docs/
README.md

^[Database] @database-team
model/db/
config/db/database-setup.md @docs-team
"""


@pytest.mark.parametrize(
    ("path", "section", "approvals", "optional"),
    [("docs/index.md", "Documentation", 2, False), ("model/db/a.rb", "Database", 0, True)],
)
def test_section_headings_set_approval_counts_and_optional_sections(
    path: str, section: str, approvals: int, optional: bool
) -> None:
    [match] = gitlab(APPROVALS).owners_of(path)
    assert (match.section, match.approvals_required, match.optional) == (
        section,
        approvals,
        optional,
    )


# "Sections with duplicate names": combined, case-insensitive, named as first written.
DUPLICATES = """\
[Documentation]
ee/docs/    @docs
docs/       @docs

[Database]
README.md  @database
model/db/   @database

[DOCUMENTATION]
README.md  @docs
"""


def test_duplicate_sections_are_combined_under_the_first_name() -> None:
    codeowners = gitlab(DUPLICATES)
    assert [s.name for s in codeowners.sections] == [None, "Documentation", "Database"]
    assert owners_by_section(codeowners, "README.md") == {
        "Documentation": {"@docs"},
        "Database": {"@database"},
    }


@pytest.mark.parametrize(
    ("headings", "optional"),
    [(("^[Docs]", "[docs]"), False), (("^[Docs]", "^[DOCS]"), True)],
)
def test_a_repeated_section_is_required_if_any_heading_is(
    headings: tuple[str, str], optional: bool
) -> None:
    first, second = headings
    codeowners = gitlab(f"{first}\n*.md @a\n{second}\n*.txt @b\n")
    [match] = codeowners.owners_of("x.md")
    assert match.optional is optional


def test_the_last_matching_entry_wins_within_a_section() -> None:
    # "Define Code Owners for specific files or directories": terms.md goes to @legal-team.
    codeowners = gitlab("*.md @doc-team\nterms.md @legal-team\n")
    [match] = codeowners.owners_of("terms.md")
    assert match.owners == (Owner("user", "legal-team"),)


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("@@developer", Owner("role", "developer")),
        ("@@maintainers", Owner("role", "maintainer")),
        ("@@owner", Owner("role", "owner")),
        ("@group/with-nested/subgroup", Owner("team", "group/with-nested/subgroup")),
        ("@group", Owner("user", "group")),
        ("janedoe@gitlab.com", Owner("email", "janedoe@gitlab.com")),
    ],
)
def test_gitlab_owner_forms_are_read_by_kind(owner: str, expected: Owner) -> None:
    codeowners = gitlab(f"/config/ {owner}\n")
    assert codeowners.problems == ()
    assert codeowners.owners_of("config/app.yaml")[0].owners == (expected,)


def test_malformed_owners_are_ignored_and_reported() -> None:
    # "Malformed owners": owned by @group and @user_with_at_symbol.
    codeowners = gitlab("/path/* @group user_without_at_symbol @user_with_at_symbol\n")
    [match] = codeowners.owners_of("path/file.rb")
    assert {o.text for o in match.owners} == {"@group", "@user_with_at_symbol"}
    [problem] = codeowners.problems
    assert problem.rule_id == "codeowners-invalid-owner"
    assert (problem.location.line, problem.location.column) == (1, 16)


@pytest.mark.parametrize("role", ["@@reporter", "@@guest"])
def test_roles_other_than_developer_maintainer_owner_are_invalid(role: str) -> None:
    [problem, no_owners] = gitlab(f"* {role}\n").problems
    assert (problem.rule_id, no_owners.rule_id) == (
        "codeowners-invalid-owner",
        "codeowners-no-owners",
    )


def test_an_entry_without_owners_is_unsatisfiable_and_reported() -> None:
    codeowners = gitlab("* @admin\ndocs/\n")
    [problem] = codeowners.problems
    assert (problem.rule_id, problem.location.line) == ("codeowners-no-owners", 2)
    # It still owns the path (GitLab honours it when code-owner approval is required):
    # the match is there, with nobody who could approve it.
    [match] = codeowners.owners_of("docs/a.md")
    assert (match.line, match.owners) == (2, ())


def test_an_unparsable_heading_is_read_as_an_entry_of_the_section_above() -> None:
    # "Unparsable sections", after a named section: [Docs] holds three rules.
    codeowners = gitlab("[Docs]\ndocs/**/* @group\n\n[Section name\ndocs/ @docs_group\n")
    [problem] = codeowners.problems
    assert (problem.rule_id, problem.location.line) == ("codeowners-invalid-section", 4)
    assert [r.pattern for r in codeowners.rules] == ["docs/**/*", "[Section", "docs/"]
    assert {r.section for r in codeowners.rules} == {1}
    assert owners_by_section(codeowners, "docs/a.md") == {"Docs": {"@docs_group"}}


@pytest.mark.parametrize("count", ["0", "-1", "two", ""])
def test_an_approval_count_below_one_is_reported_and_read_as_one(count: str) -> None:
    codeowners = gitlab(f"[Docs][{count}] @docs\n*.md\n")
    [problem] = codeowners.problems
    assert (problem.rule_id, problem.location.column) == ("codeowners-invalid-approvals", 7)
    assert codeowners.owners_of("a.md")[0].approvals_required == 1


def test_an_approval_count_too_large_to_give_stays_unsatisfiable() -> None:
    codeowners = gitlab("[Docs][" + "9" * 5000 + "] @docs\n*.md\n")
    assert codeowners.problems == ()
    assert codeowners.owners_of("a.md")[0].approvals_required >= 10**9


def test_a_heading_without_a_name_is_reported() -> None:
    [problem, *_] = gitlab("[] @docs\n").problems
    assert problem.rule_id == "codeowners-invalid-section"


# "Exclusion patterns" (GitLab 17.10+).
EXCLUSIONS = """\
* @username
!pom.xml

[Ruby]
*.rb @ruby-team
!/config/**/*.rb
/config/routes.rb @ops
"""


@pytest.mark.parametrize(
    ("path", "sections"),
    [
        ("pom.xml", set()),  # excluded from the default section; no Ruby entry matches
        ("src/pom.xml", set()),
        ("app/models/user.rb", {None, "Ruby"}),
        ("config/routes.rb", {None}),  # excluded from Ruby, and cannot be included again
        ("config/initializers/a.rb", {None}),
    ],
)
def test_exclusions_remove_paths_from_their_section_only(
    path: str, sections: set[str | None]
) -> None:
    assert set(owners_by_section(gitlab(EXCLUSIONS), path)) == sections


@pytest.mark.parametrize(
    ("pattern", "path", "owned"),
    [
        ("README.md", "internal/README.md", True),  # relative paths match at any depth
        ("internal/README.md", "docs/api/internal/README.md", True),
        ("/README.md", "docs/README.md", False),
        ("/docs/*", "docs/a/b.md", False),
        ("/docs/**/index.md", "docs/index.md", True),
        ("/docs/**/index.md", "docs/api/graphql/index.md", True),
        ("docs", "docs/index.md", False),  # without `/` it names one path, not a folder
        ("docs/", "docs/api/index.md", True),
        ("*", ".gitignore", True),  # FNM_DOTMATCH
        ("\\#file_with_pound.rb", "#file_with_pound.rb", True),
        ("path\\ with\\ spaces/", "path with spaces/a.md", True),
        ("*.RB", "a.rb", False),  # case-sensitive
        ("/docs/[a-c]*.md", "docs/b.md", True),
        ("/docs/[!a-c]*.md", "docs/b.md", False),
    ],
)
def test_patterns_match_as_ruby_fnmatch_with_pathname_and_dotmatch(
    pattern: str, path: str, owned: bool
) -> None:
    assert bool(gitlab(f"{pattern} @owner\n").owners_of(path)) is owned


def test_an_unterminated_bracket_pattern_is_reported_as_never_matching() -> None:
    [problem] = gitlab("/docs/[abc @owner\n").problems
    assert problem.rule_id == "codeowners-invalid-pattern"
    assert "never match" in problem.message
