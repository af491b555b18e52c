package main

import rego.v1

test_workload_without_owner_is_denied if {
	count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "web"}}
}

test_workload_with_owner_is_allowed if {
	count(deny) == 0 with input as {"kind": "Deployment", "metadata": {"name": "web", "labels": {"owner": "shop"}}}
}

test_other_kinds_are_ignored if {
	count(deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "settings"}}
}
