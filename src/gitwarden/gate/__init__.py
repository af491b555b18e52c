"""The deploy gate: may revision R be deployed to environment E?

An environment's requirements are small policies (`requirements.AllOf`/`AnyOf` over one
policy per pillar), each calling the library API and returning a typed `RequirementResult`;
`evaluation` runs them against the protected base's configuration and `decision` holds the
verdict. `gitwarden.commands.gate` is the command around it.
"""
