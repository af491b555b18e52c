"""Credentials recognised by structure: private keys, URLs with passwords, assignments.

Generic rules (``generic=True``) give way to a provider rule that matches the same text, and
carry entropy floors and name allowlists so that references (``secretName: db-creds``) and
templates (``${DB_PASSWORD}``) are not reported.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.secrets.catalogue.builders import ASSIGN, custom
from gitwarden.secrets.rule_spec import ALNUM, BASE64, HEX, SecretRule, fill

_DASHES = "-" * 5


def _pem_body(seed: str) -> str:
    data = fill(seed, 192, BASE64)
    return "\n".join(data[i : i + 64] for i in range(0, len(data), 64))


def _pem_rule(rule_id: str, label: str, title: str, severity: Severity) -> SecretRule:
    begin = f"{_DASHES}BEGIN {label}{_DASHES}"
    end = f"{_DASHES}END {label}{_DASHES}"
    return custom(
        rule_id,
        title,
        "private key",
        rf"(?s){begin}(?P<secret>.{{64,}}?){end}",
        (f"begin {label.lower()}",),
        (
            f"{begin}\n{_pem_body(rule_id)}\n{end}\n",
            f"key: |\n  {begin}\n  {_pem_body(rule_id)}\n  {end}",
        ),
        (f"{begin}\n...\n{end}", f"{begin}\n" + "A" * 80 + f"\n{end}"),
        severity=severity,
        entropy=3.5,
    )


def private_key_rules() -> list[SecretRule]:
    putty_body = "\n".join(fill(f"putty{i}", 64, BASE64) for i in range(3))
    return [
        _pem_rule("private-key-rsa", "RSA PRIVATE KEY", "RSA private key (PEM)", Severity.CRITICAL),
        _pem_rule("private-key-ec", "EC PRIVATE KEY", "EC private key (PEM)", Severity.CRITICAL),
        _pem_rule("private-key-dsa", "DSA PRIVATE KEY", "DSA private key (PEM)", Severity.CRITICAL),
        _pem_rule(
            "private-key-pkcs8", "PRIVATE KEY", "PKCS#8 private key (PEM)", Severity.CRITICAL
        ),
        _pem_rule(
            "private-key-pkcs8-encrypted",
            "ENCRYPTED PRIVATE KEY",
            "Passphrase-protected PKCS#8 private key",
            Severity.MEDIUM,
        ),
        _pem_rule(
            "private-key-openssh", "OPENSSH PRIVATE KEY", "OpenSSH private key", Severity.CRITICAL
        ),
        _pem_rule(
            "private-key-pgp", "PGP PRIVATE KEY BLOCK", "PGP private key block", Severity.CRITICAL
        ),
        _pem_rule(
            "private-key-ssh2-encrypted",
            "SSH2 ENCRYPTED PRIVATE KEY",
            "SSH2 (ssh.com) private key",
            Severity.HIGH,
        ),
        custom(
            "private-key-putty",
            "PuTTY private key (.ppk)",
            "private key",
            r"(?s)PuTTY-User-Key-File-[23]: [a-z0-9-]+\r?\n.{0,1000}?Private-Lines: \d+\r?\n(?P<secret>[A-Za-z0-9+/=\r\n]{64,})",
            ("putty-user-key-file",),
            (
                f"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 3\n{putty_body}\n",
            ),
            ("PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAA\n",),
            entropy=3.5,
        ),
        custom(
            "wireguard-private-key",
            "WireGuard private key",
            "WireGuard",
            r"(?i:PrivateKey)\s*=\s*(?P<secret>[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)",
            ("privatekey",),
            (f"[Interface]\nPrivateKey = {fill('wg', 42, BASE64)}A=",),
            ("[Interface]\nPrivateKey = <private key>",),
        ),
    ]


def _url_rule(
    rule_id: str, title: str, schemes: str, keyword: tuple[str, ...], sample: str
) -> SecretRule:
    password = fill(rule_id, 18, ALNUM)
    return custom(
        rule_id,
        title,
        "database",
        rf"\b(?:{schemes})://[^:/\s@\"'<>]{{1,128}}:(?P<secret>[^@/\s\"'<>]{{3,128}})@[^\s\"'/@]+",
        keyword,
        (sample.replace("PASSWORD", password),),
        (sample.replace("PASSWORD", "${DB_PASSWORD}"), sample.replace("PASSWORD", "password")),
        severity=Severity.HIGH,
        generic=True,
    )


def url_rules() -> list[SecretRule]:
    return [
        _url_rule(
            "postgres-url-password",
            "PostgreSQL connection URL with a password",
            "postgres|postgresql",
            ("postgres",),
            "DATABASE_URL=postgres://app:PASSWORD@db:5432/app",
        ),
        _url_rule(
            "mysql-url-password",
            "MySQL connection URL with a password",
            "mysql|mysqlx|mariadb",
            ("mysql", "mariadb"),
            "dsn: mysql://root:PASSWORD@db:3306/x",
        ),
        _url_rule(
            "mongodb-url-password",
            "MongoDB connection URL with a password",
            r"mongodb|mongodb\+srv",
            ("mongodb",),
            "MONGO_URL=mongodb+srv://app:PASSWORD@c0.mongodb.net/db",
        ),
        _url_rule(
            "redis-url-password",
            "Redis connection URL with a password",
            "redis|rediss",
            ("redis",),
            "REDIS_URL=redis://default:PASSWORD@cache:6379/0",
        ),
        _url_rule(
            "amqp-url-password",
            "AMQP (RabbitMQ) URL with a password",
            "amqp|amqps",
            ("amqp",),
            "broker: amqp://guest:PASSWORD@rabbitmq:5672/",
        ),
        _url_rule(
            "sqlserver-url-password",
            "SQL Server connection URL with a password",
            "sqlserver|mssql",
            ("sqlserver", "mssql"),
            "url: sqlserver://sa:PASSWORD@mssql:1433",
        ),
        _url_rule(
            "ldap-url-password",
            "LDAP URL with a bind password",
            "ldap|ldaps",
            ("ldap",),
            "url: ldaps://cn=admin:PASSWORD@ldap.example.org",
        ),
        _url_rule(
            "ftp-url-password",
            "FTP URL with a password",
            "ftp|sftp|ftps",
            ("ftp",),
            "mirror: ftp://deploy:PASSWORD@files.internal/pub",
        ),
        _url_rule(
            "http-url-password",
            "HTTP(S) URL with embedded credentials",
            "https?|git|ssh",
            ("://",),
            "repoURL: https://deploy:PASSWORD@git.internal/org/repo.git",
        ),
        _url_rule(
            "nats-url-password",
            "NATS URL with a password",
            "nats|tls",
            ("nats",),
            "servers: nats://app:PASSWORD@nats:4222",
        ),
        _url_rule(
            "clickhouse-url-password",
            "ClickHouse URL with a password",
            "clickhouse",
            ("clickhouse",),
            "dsn: clickhouse://default:PASSWORD@ch:9000/db",
        ),
        custom(
            "jdbc-url-password",
            "JDBC URL with a password parameter",
            "database",
            r"jdbc:[a-z0-9]+:[^\s\"']{1,300}?[?;&](?i:password)=(?P<secret>[^&;\s\"']{3,128})",
            ("jdbc:",),
            (f"url: jdbc:postgresql://db:5432/app?user=app&password={fill('jdbc', 18, ALNUM)}",),
            ("url: jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}",),
            severity=Severity.HIGH,
            generic=True,
        ),
        custom(
            "connection-string-password",
            "Connection string with a password",
            "database",
            r"(?i:(?:Server|Data Source|Host)=[^;\"'\n]{1,200};[^\"'\n]{0,300}?(?:Password|Pwd)=)(?P<secret>[^;\"'\s]{3,128})",
            ("password=", "pwd="),
            (
                f"ConnectionString: Server=db;Database=app;User Id=sa;Password={fill('cs', 18, ALNUM)};",
            ),
            ("ConnectionString: Server=db;Database=app;User Id=sa;Password=${SA_PASSWORD};",),
            severity=Severity.HIGH,
            generic=True,
        ),
    ]


# Names whose value is a reference to a secret, not the secret itself.
NAME_ALLOW = (
    r"(?i)(?:name|names|ref|refs|path|file|files|dir|type|kind|id|url|uri|selector|namespace|"
    r"mount|mountpath|env|length|ttl|expiry|expires|expiration|provider|template|version|mode|"
    r"enabled|enable|class|store|source|format|key_?ref|keyref|secretref|field|header|policy|"
    r"rotation|generator|algorithm|regex|pattern|length|size|count|endpoint|audience|issuer|"
    r"prefix|suffix|label|annotation|hash|required|optional|method|scope|scopes|usage|"
    r"lastused|last_?used|changed|updated|created|date|time|"
    r"(?:next|continuation|pagination|page|change|request|idempotency|action|csrf|sync|"
    r"resume|cancel)_?token)$|^existing"
)


def _assignment_rule(
    rule_id: str,
    title: str,
    names: str,
    keywords: tuple[str, ...],
    *,
    min_length: int,
    entropy: float,
    samples: tuple[str, ...],
) -> SecretRule:
    pattern = (
        rf"(?:^|[\s\"'{{,(\[;])(?P<name>[A-Za-z0-9_.-]{{0,40}}?(?i:{names})[A-Za-z0-9_.-]{{0,20}}?)"
        rf"{ASSIGN}(?P<secret>[^\s\"'`;,<>{{}}()\[\]]{{{min_length},200}})(?:[\s\"'`;,]|$)"
    )
    return custom(
        rule_id,
        title,
        "generic",
        pattern,
        keywords,
        samples,
        (
            "password: ${DB_PASSWORD}",
            'api_key = "{{ .Values.apiKey }}"',
            "secretName: argocd-repo-server-tls",
            "token: changeme-changeme",
            "passwordSecretRef: app-credentials",
        ),
        severity=Severity.HIGH,
        entropy=entropy,
        allow=(NAME_ALLOW,),
        generic=True,
    )


def generic_rules() -> list[SecretRule]:
    return [
        _assignment_rule(
            "generic-password-assignment",
            "Password assigned in plain text",
            "password|passwd|passphrase|pwd",
            ("pass", "pwd"),
            min_length=8,
            entropy=3.0,
            samples=(
                f'db_password = "{fill("pw1", 14, ALNUM)}!"',
                f"POSTGRES_PASSWORD: {fill('pw2', 16, ALNUM)}",
            ),
        ),
        _assignment_rule(
            "generic-secret-assignment",
            "Secret, token or API key assigned in plain text",
            r"secret|token|api_?key|apikey|api-key|access_?key|private_?key|client_?secret|auth_?key|credential",
            ("secret", "token", "key", "credential"),
            min_length=16,
            entropy=3.5,
            samples=(
                f'client_secret = "{fill("sec1", 32, ALNUM)}"',
                f"API_KEY: {fill('sec2', 40, HEX)}",
            ),
        ),
        custom(
            "basic-auth-header",
            "HTTP Basic authorization header with credentials",
            "generic",
            r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:basic)\s+(?P<secret>[A-Za-z0-9+/]{8,}={0,2})",
            ("basic",),
            (f"Authorization: Basic {fill('basic', 24, BASE64)}",),
            ("Authorization: Basic ${CREDENTIALS}",),
            severity=Severity.HIGH,
            entropy=3.0,
            generic=True,
        ),
        custom(
            "bearer-token-header",
            "HTTP bearer token in an authorization header",
            "generic",
            r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:bearer)\s+(?P<secret>[A-Za-z0-9_.~+/-]{20,}=*)",
            ("bearer",),
            (f"Authorization: Bearer {fill('bearer', 40, ALNUM)}",),
            ("Authorization: Bearer $TOKEN", "Authorization: Bearer <token>"),
            severity=Severity.HIGH,
            entropy=3.5,
            generic=True,
        ),
        custom(
            "json-web-token",
            "JSON Web Token",
            "JWT",
            r"\b(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})",
            ("eyj",),
            (
                f"token: eyJ{fill('jwt1', 30, ALNUM)}.eyJ{fill('jwt2', 60, ALNUM)}.{fill('jwt3', 43, ALNUM)}",
            ),
            (f"token: eyJ{fill('jwt1', 30, ALNUM)}.{fill('jwt3', 43, ALNUM)}",),
            severity=Severity.HIGH,
        ),
        custom(
            "bcrypt-password-hash",
            "bcrypt password hash",
            "password hash",
            r"(?P<secret>\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53})",
            ("$2a$", "$2b$", "$2y$"),
            (f"admin.password: $2a$10${fill('bcrypt', 53, ALNUM)}",),
            (f"admin.password: $2a$10${fill('bcrypt', 20, ALNUM)}",),
            severity=Severity.MEDIUM,
        ),
        custom(
            "htpasswd-entry",
            "htpasswd entry with a password hash",
            "password hash",
            r"(?m)^[A-Za-z0-9_.-]{1,64}:(?P<secret>\$(?:apr1|1|5|6)\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86})",
            ("$apr1$", "$1$", "$5$", "$6$"),
            (f"admin:$apr1${fill('ht', 8, ALNUM)}${fill('ht2', 22, ALNUM)}",),
            ("admin:$apr1$$",),
            severity=Severity.MEDIUM,
        ),
        custom(
            "kubeconfig-client-key-data",
            "Kubeconfig client private key",
            "Kubernetes",
            r"client-key-data:\s*[\"']?(?P<secret>[A-Za-z0-9+/=]{40,})",
            ("client-key-data",),
            (f"    client-key-data: LS0tLS1CRUdJTi{fill('kc', 120, BASE64)}",),
            ("    client-key-data: REDACTED",),
        ),
        custom(
            "kubeconfig-user-token",
            "Kubeconfig user bearer token",
            "Kubernetes",
            r"(?s)\busers:.{0,1000}?\buser:.{0,400}?\btoken:\s*[\"']?(?P<secret>[A-Za-z0-9_.~+/=-]{20,})",
            ("users:",),
            (f"users:\n- name: admin\n  user:\n    token: {fill('kct', 40, ALNUM)}\n",),
            ("users:\n- name: admin\n  user:\n    token: ${KUBE_TOKEN}\n",),
            entropy=3.5,
        ),
        custom(
            "kubernetes-bootstrap-token",
            "Kubernetes bootstrap token",
            "Kubernetes",
            r"(?i:token-secret)[\"']?\s*:\s*[\"']?(?P<secret>[a-z0-9]{16})\b",
            ("token-secret",),
            (
                f"token-id: abcdef\ntoken-secret: {fill('bt', 16, '0123456789abcdefghijklmnopqrstuvwxyz')}",
            ),
            ("token-secret: ${TOKEN}",),
        ),
        custom(
            "kubernetes-encryption-config-key",
            "Kubernetes encryption-at-rest key",
            "Kubernetes",
            r"(?s)EncryptionConfiguration.{0,1000}?\bsecret:\s*[\"']?(?P<secret>[A-Za-z0-9+/]{43}=)",
            ("encryptionconfiguration",),
            (
                f"kind: EncryptionConfiguration\nresources:\n- providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: {fill('enc', 43, BASE64)}=\n",
            ),
            ("kind: EncryptionConfiguration\n        secret: <BASE 64 ENCODED SECRET>\n",),
        ),
        custom(
            "docker-config-auth",
            "Container registry credentials (Docker config auth)",
            "container registry",
            r"(?s)\"auths\"\s*:.{0,1000}?\"auth\"\s*:\s*\"(?P<secret>[A-Za-z0-9+/]{12,}={0,2})\"",
            ("auths",),
            (f'{{"auths": {{"ghcr.io": {{"auth": "{fill("dca", 40, BASE64)}"}}}}}}',),
            ('{"auths": {"ghcr.io": {"auth": ""}}}',),
            entropy=3.0,
        ),
        custom(
            "npmrc-auth-token",
            "npm registry auth token in .npmrc",
            "npm",
            r"_(?i:authToken)\s*=\s*(?P<secret>[A-Za-z0-9_.+/=-]{20,})",
            ("_authtoken",),
            (f"//registry.npmjs.org/:_authToken={fill('npmrc', 36, ALNUM)}",),
            ("//registry.npmjs.org/:_authToken=${NPM_TOKEN}",),
            entropy=3.0,
        ),
        custom(
            "netrc-password",
            "Password in a .netrc entry",
            "netrc",
            r"\bmachine\s+\S+\s+login\s+\S+\s+password\s+(?P<secret>\S{4,})",
            ("machine",),
            (f"machine github.com login deploy password {fill('netrc', 20, ALNUM)}",),
            ("machine github.com login deploy password $PASSWORD",),
            severity=Severity.HIGH,
        ),
        custom(
            "hasura-admin-secret",
            "Hasura GraphQL admin secret",
            "Hasura",
            r"HASURA_GRAPHQL_ADMIN_SECRET" + ASSIGN + r"(?P<secret>[^\s\"'$<{]{8,})",
            ("hasura_graphql_admin_secret",),
            (f"HASURA_GRAPHQL_ADMIN_SECRET={fill('hasura', 24, ALNUM)}",),
            ("HASURA_GRAPHQL_ADMIN_SECRET=${ADMIN_SECRET}",),
            severity=Severity.HIGH,
        ),
        custom(
            "minio-root-credentials",
            "MinIO root password or secret key",
            "MinIO",
            r"MINIO_(?:ROOT_PASSWORD|SECRET_KEY)" + ASSIGN + r"(?P<secret>[^\s\"'$<{]{8,})",
            ("minio_",),
            (f"MINIO_ROOT_PASSWORD={fill('minio', 24, ALNUM)}",),
            ("MINIO_ROOT_PASSWORD=${MINIO_PASSWORD}",),
            severity=Severity.HIGH,
        ),
        custom(
            "rabbitmq-erlang-cookie",
            "RabbitMQ Erlang cookie",
            "RabbitMQ",
            r"(?i:RABBITMQ_ERLANG_COOKIE|erlangCookie)" + ASSIGN + r"(?P<secret>[A-Za-z0-9]{16,})",
            ("rabbitmq_erlang_cookie", "erlangcookie"),
            (f"RABBITMQ_ERLANG_COOKIE={fill('erl', 32, ALNUM)}",),
            ("RABBITMQ_ERLANG_COOKIE=${COOKIE}",),
            severity=Severity.HIGH,
        ),
        custom(
            "grafana-admin-password",
            "Grafana admin password",
            "Grafana",
            r"(?i:GF_SECURITY_ADMIN_PASSWORD|adminPassword)"
            + ASSIGN
            + r"(?P<secret>[^\s\"'$<{]{6,})",
            ("gf_security_admin_password", "adminpassword"),
            (f"GF_SECURITY_ADMIN_PASSWORD={fill('gfa', 16, ALNUM)}",),
            ("GF_SECURITY_ADMIN_PASSWORD=${GRAFANA_PASSWORD}",),
            severity=Severity.HIGH,
            entropy=2.5,
        ),
        custom(
            "rails-master-key",
            "Rails master key",
            "Ruby on Rails",
            r"RAILS_MASTER_KEY" + ASSIGN + r"(?P<secret>[a-f0-9]{32})\b",
            ("rails_master_key",),
            (f"RAILS_MASTER_KEY={fill('rails', 32, HEX)}",),
            ("RAILS_MASTER_KEY=${RAILS_MASTER_KEY}",),
        ),
        custom(
            "laravel-app-key",
            "Laravel application key",
            "Laravel",
            r"APP_KEY" + ASSIGN + r"base64:(?P<secret>[A-Za-z0-9+/]{43}=)",
            ("app_key",),
            (f"APP_KEY=base64:{fill('laravel', 43, BASE64)}=",),
            ("APP_KEY=base64:",),
        ),
        custom(
            "django-secret-key",
            "Django SECRET_KEY",
            "Django",
            r"\bSECRET_KEY\s*=\s*[\"'](?P<secret>[^\"'\s]{40,})[\"']",
            ("secret_key",),
            (f"SECRET_KEY = '{fill('django', 50, ALNUM)}'",),
            ("SECRET_KEY = os.environ['SECRET_KEY']",),
            severity=Severity.HIGH,
            entropy=4.0,
        ),
        custom(
            "argocd-server-secret-key",
            "Argo CD server signing key",
            "Argo CD",
            r"server\.secretkey[\"']?\s*:\s*[\"']?(?P<secret>[A-Za-z0-9+/=_-]{16,})",
            ("server.secretkey",),
            (f"  server.secretkey: {fill('argo', 44, BASE64)}",),
            ("  server.secretkey: ''",),
        ),
    ]
