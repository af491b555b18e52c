# Every workload names the team that owns it (conftest style: package main, deny rules).
package main

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet"}

deny contains {"msg": msg, "id": "require-owner", "severity": "high"} if {
	workload_kinds[input.kind]
	not input.metadata.labels.owner
	msg := sprintf("%s %s has no 'owner' label: add the owning team's name", [input.kind, input.metadata.name])
}
