// Every error and warning path of the Compose parser, with the exact message and document path a user sees.

import t from 'tap';
import { formatIssue, parseCompose } from '../../shared/compose/index.js';
import { SIBLINGS, errorLines, parse, stackYaml, warningLines } from '../fixtures/compose/docs.js';

// [description, fields of service `web` (image nginx:1.27 unless overridden), expected errors as `path: message`]
const serviceErrors: [string, Record<string, unknown>, string[]][] = [
  ['image missing', { image: undefined }, ["services.web.image: is required"]],
  ["image wrong type", {"image": 5}, ["services.web.image: must be an image reference such as nginx:1.27, got 5"]],
  ["image with spaces", {"image": "nginx latest"}, ["services.web.image: must be an image reference such as nginx:1.27 (not empty, no spaces)"]],
  ["image empty", {"image": ""}, ["services.web.image: must be an image reference such as nginx:1.27 (not empty, no spaces)"]],
  ["typo with suggestion", {"imgae": "x"}, ["services.web.imgae: unknown key \"imgae\" (did you mean \"image\"?)"]],
  ["unknown key without suggestion", {"frobnicate": 1}, ["services.web.frobnicate: unknown key \"frobnicate\""]],
  ["command wrong type", {"command": {"a": 1}}, ["services.web.command: must be a string or a list of strings, got a mapping"]],
  ["command unterminated quote", {"command": "sh -c 'echo"}, ["services.web.command: \"sh -c 'echo\" has an unterminated single quote"]],
  ["command list with a mapping", {"command": ["a", {"b": 1}]}, ["services.web.command.1: must be a string, got a mapping"]],
  ["environment wrong type", {"environment": "A=1"}, ["services.web.environment: must be a mapping or a list of \"KEY=VALUE\" strings, got \"A=1\""]],
  ["environment empty name", {"environment": ["=x"]}, ["services.web.environment.0: \"=x\" has an empty variable name"]],
  ["environment list item not a string", {"environment": ["A=1", 5]}, ["services.web.environment.1: must be a \"KEY=VALUE\" string, got 5"]],
  ["environment map value a list", {"environment": {"A": [1]}}, ["services.web.environment.A: must be a string, number, true/false or empty, got a list"]],
  ["port out of range", {"ports": ["70000:80"]}, ["services.web.ports.0: \"70000:80\": published port 70000 is not a port number (1-65535)"]],
  ["port zero", {"ports": [0]}, ["services.web.ports.0: 0 is not a port number (1-65535)"]],
  ["port bad protocol", {"ports": ["80/sctp"]}, ["services.web.ports.0: \"80/sctp\": protocol \"sctp\" is not supported (use tcp or udp)"]],
  ["port unbracketed IPv6", {"ports": ["::1:8080:80"]}, ["services.web.ports.0: \"::1:8080:80\" is not a port mapping (write an IPv6 host IP in brackets, e.g. \"[::1]:8080:80\")"]],
  ["port range mismatch", {"ports": ["8000-8002:80-81"]}, ["services.web.ports.0: \"8000-8002:80-81\": the published range has 3 port(s) but the container range has 2; they must be the same length"]],
  ["port published range to one target", {"ports": ["8000-8001:80"]}, ["services.web.ports.0: \"8000-8001:80\": the published range has 2 port(s) but the container range has 1; they must be the same length"]],
  ["port range reversed", {"ports": ["81-80"]}, ["services.web.ports.0: \"81-80\": container port range \"81-80\" ends before it starts"]],
  ["port bad host ip", {"ports": ["localhost:8080:80"]}, ["services.web.ports.0: \"localhost:8080:80\": host IP \"localhost\" is not an IPv4 or IPv6 address"]],
  ["port garbage", {"ports": ["http"]}, ["services.web.ports.0: \"http\": container port \"http\" is not a port or port range (use \"80\", \"8080:80\", \"127.0.0.1:8080:80/udp\" or a range such as \"8000-8001:80-81\")"]],
  ["port entry wrong type", {"ports": [true]}, ["services.web.ports.0: must be a port number, a \"HOST:CONTAINER\" string or a mapping with target, got true"]],
  ["ports not a list", {"ports": "80:80"}, ["services.web.ports: must be a list, got \"80:80\""]],
  ["long port target missing", {"ports": [{"published": 8080}]}, ["services.web.ports.0.target: is required"]],
  ["long port published out of range", {"ports": [{"target": 80, "published": 65536}]}, ["services.web.ports.0.published: 65536 is not a port number (1-65535)"]],
  ["long port bad mode", {"ports": [{"target": 80, "mode": "bridge"}]}, ["services.web.ports.0.mode: must be \"ingress\" or \"host\", got \"bridge\""]],
  ["long port bad protocol", {"ports": [{"target": 80, "protocol": "icmp"}]}, ["services.web.ports.0.protocol: protocol \"icmp\" is not supported (use tcp or udp)"]],
  ["long port unknown key", {"ports": [{"target": 80, "publish": 8080}]}, ["services.web.ports.0.publish: unknown key \"publish\" (did you mean \"published\"?)"]],
  ["udp ingress, short syntax", {"ports": ["53:53/udp"]}, ["services.web.ports.0: UDP ingress is not supported (port 53:53/udp); publish it with mode: host (long syntax) to bind it on each replica's host"]],
  ["udp ingress, long syntax", {"ports": ["80", {"target": 5353, "protocol": "udp"}]}, ["services.web.ports.1: UDP ingress is not supported (port 5353/udp); publish it with mode: host (long syntax) to bind it on each replica's host"]],
  ["udp ingress, explicit mode", {"ports": [{"target": 53, "published": 53, "protocol": "udp", "mode": "ingress"}]}, ["services.web.ports.0: UDP ingress is not supported (port 53:53/udp); publish it with mode: host (long syntax) to bind it on each replica's host"]],
  ["expose udp", {"expose": [80, "53/udp"]}, ["services.web.expose.1: \"53/udp\": UDP is not supported for expose (the service address carries TCP only)"]],
  ["expose not a port", {"expose": ["http"]}, ["services.web.expose.0: \"http\" is not a port (use 8080, \"8080/tcp\" or a range such as \"3000-3001\")"]],
  ["expose out of range", {"expose": [70000]}, ["services.web.expose.0: 70000 is not a port number (1-65535)"]],
  ["expose bad protocol", {"expose": ["80/sctp"]}, ["services.web.expose.0: \"80/sctp\": protocol \"sctp\" is not supported (use tcp or udp)"]],
  ["expose not a list", {"expose": 80}, ["services.web.expose: must be a list, got 80"]],
  ["x-baton.ingress unknown key", {"x-baton": {"ingress": {"prefer": "local", "prefered": "any"}}}, ["services.web.x-baton.ingress.prefered: unknown key \"prefered\" (did you mean \"prefer\"?)"]],
  ["x-baton.ingress unknown key without suggestion", {"x-baton": {"ingress": {"mode": "vip"}}}, ["services.web.x-baton.ingress.mode: unknown key \"mode\""]],
  ["x-baton.ingress bad prefer", {"x-baton": {"ingress": {"prefer": "nearest"}}}, ["services.web.x-baton.ingress.prefer: must be \"any\" or \"local\", got \"nearest\""]],
  ["x-baton.ingress bad constraint", {"x-baton": {"ingress": {"constraints": ["node.labels.edge"]}}}, ["services.web.x-baton.ingress.constraints.0: \"node.labels.edge\" is not a constraint (use attribute==value or attribute!=value)"]],
  ["x-baton.ingress constraint unknown attribute", {"x-baton": {"ingress": {"constraints": ["node.zone==a"]}}}, ["services.web.x-baton.ingress.constraints.0: \"node.zone==a\": unknown attribute \"node.zone\" (did you mean \"node.role\"?) (use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key>)"]],
  ["duplicate host port", {"ports": ["8080:80", "8080:81"]}, ["services.web.ports.1: host port 8080/tcp is already published by ports.0"]],
  ["duplicate host port in ranges", {"ports": ["8000-8001:80-81", "8001:82"]}, ["services.web.ports.1: host port 8001/tcp is already published by ports.0"]],
  ["labels wrong type", {"labels": "a=b"}, ["services.web.labels: must be a mapping or a list of \"key=value\" strings, got \"a=b\""]],
  ["labels value a mapping", {"labels": {"com.example.x": {"a": 1}}}, ["services.web.labels[\"com.example.x\"]: must be a string, number, true/false or empty, got a mapping"]],
  ["labels empty key", {"labels": ["=x"]}, ["services.web.labels.0: \"=x\" has an empty label name"]],
  ["healthcheck test bad first word", {"healthcheck": {"test": ["curl", "-f", "x"]}}, ["services.web.healthcheck.test: a list must start with \"CMD\", \"CMD-SHELL\" or \"NONE\", got \"curl\" (write a plain string for a shell command)"]],
  ["healthcheck test empty list", {"healthcheck": {"test": []}}, ["services.web.healthcheck.test: must not be empty (use disable: true to turn the healthcheck off)"]],
  ["healthcheck test empty string", {"healthcheck": {"test": ""}}, ["services.web.healthcheck.test: must not be empty (use disable: true to turn the healthcheck off)"]],
  ["healthcheck CMD alone", {"healthcheck": {"test": ["CMD"]}}, ["services.web.healthcheck.test: [\"CMD\", ...] needs the command to run after \"CMD\""]],
  ["healthcheck CMD-SHELL two args", {"healthcheck": {"test": ["CMD-SHELL", "a", "b"]}}, ["services.web.healthcheck.test: [\"CMD-SHELL\", ...] takes exactly one command string after \"CMD-SHELL\""]],
  ["healthcheck disable with test", {"healthcheck": {"test": "true", "disable": true}}, ["services.web.healthcheck.disable: cannot be true while healthcheck.test is set (remove one of them)"]],
  ["healthcheck bad interval", {"healthcheck": {"interval": 10}}, ["services.web.healthcheck.interval: 10 is not a duration (use a number with a unit, e.g. 10s, 1m30s or 500ms)"]],
  ["healthcheck negative retries", {"healthcheck": {"retries": -1}}, ["services.web.healthcheck.retries: must be at least 0, got -1"]],
  ["healthcheck unknown key", {"healthcheck": {"intervl": "5s"}}, ["services.web.healthcheck.intervl: unknown key \"intervl\" (did you mean \"interval\"?)"]],
  // "yes" is a boolean since issue 11 (Compose's cast, with a warning: compose-casts.test.ts); "maybe" is not.
  ["healthcheck disable not boolean", {"healthcheck": {"disable": "maybe"}}, ["services.web.healthcheck.disable: must be true or false, got \"maybe\""]],
  ["healthcheck bad start_interval", {"healthcheck": {"test": "true", "start_interval": "soon"}}, ["services.web.healthcheck.start_interval: \"soon\" is not a duration (use a number with a unit, e.g. 10s, 1m30s or 500ms)"]],
  ["x-baton.healthcheck with healthcheck", {"healthcheck": {"test": "true"}, "x-baton": {"healthcheck": {"tcp": {"port": 80}}}}, ["services.web.x-baton.healthcheck: cannot be used together with healthcheck (remove one of them)"]],
  ["x-baton.healthcheck with neither http nor tcp", {"x-baton": {"healthcheck": {"interval": "1s"}}}, ["services.web.x-baton.healthcheck: needs exactly one of http (port, path, status, host) or tcp (port), got neither"]],
  ["x-baton.healthcheck with both http and tcp", {"x-baton": {"healthcheck": {"http": {"port": 80}, "tcp": {"port": 81}}}}, ["services.web.x-baton.healthcheck: needs exactly one of http (port, path, status, host) or tcp (port), got both"]],
  ["x-baton.healthcheck http without port", {"x-baton": {"healthcheck": {"http": {"path": "/"}}}}, ["services.web.x-baton.healthcheck.http.port: is required"]],
  ["x-baton.healthcheck http port out of range", {"x-baton": {"healthcheck": {"http": {"port": 70000}}}}, ["services.web.x-baton.healthcheck.http.port: 70000 is not a port number (1-65535)"]],
  ["x-baton.healthcheck http path without slash", {"x-baton": {"healthcheck": {"http": {"port": 80, "path": "healthz"}}}}, ["services.web.x-baton.healthcheck.http.path: must be a path starting with \"/\" (no spaces), such as /healthz"]],
  ["x-baton.healthcheck http status not a range", {"x-baton": {"healthcheck": {"http": {"port": 80, "status": "2xx"}}}}, ["services.web.x-baton.healthcheck.http.status: must be an HTTP status such as 200 or an inclusive range such as 200-399, got \"2xx\""]],
  ["x-baton.healthcheck http status reversed", {"x-baton": {"healthcheck": {"http": {"port": 80, "status": "399-200"}}}}, ["services.web.x-baton.healthcheck.http.status: must be a range from low to high, got \"399-200\""]],
  ["x-baton.healthcheck http status out of range", {"x-baton": {"healthcheck": {"http": {"port": 80, "status": 700}}}}, ["services.web.x-baton.healthcheck.http.status: must be statuses between 100 and 599, got 700"]],
  ["x-baton.healthcheck http host with a space", {"x-baton": {"healthcheck": {"http": {"port": 80, "host": "a b"}}}}, ["services.web.x-baton.healthcheck.http.host: must be a host name such as example.com (not empty, no spaces or \"/\")"]],
  ["x-baton.healthcheck http unknown key", {"x-baton": {"healthcheck": {"http": {"port": 80, "expect": 200}}}}, ["services.web.x-baton.healthcheck.http.expect: unknown key \"expect\""]],
  ["x-baton.healthcheck tcp port not a number", {"x-baton": {"healthcheck": {"tcp": {"port": "db"}}}}, ["services.web.x-baton.healthcheck.tcp.port: \"db\" is not a port number (1-65535)"]],
  ["x-baton.healthcheck bad retries", {"x-baton": {"healthcheck": {"tcp": {"port": 80}, "retries": 1.5}}}, ["services.web.x-baton.healthcheck.retries: must be a whole number, got 1.5"]],
  ["x-baton.healthcheck unknown key", {"x-baton": {"healthcheck": {"tcp": {"port": 80}, "intervals": "1s"}}}, ["services.web.x-baton.healthcheck.intervals: unknown key \"intervals\" (did you mean \"interval\"?)"]],
  ["depends_on unknown service", {"depends_on": ["dbb"]}, ["services.web.depends_on.0: depends on \"dbb\", which is not a service in this file (did you mean \"db\"?)"]],
  ["depends_on map unknown service", {"depends_on": {"nope": {"condition": "service_started"}}}, ["services.web.depends_on.nope: depends on \"nope\", which is not a service in this file"]],
  ["depends_on self", {"depends_on": ["web"]}, ["services.web.depends_on: dependency cycle: web -> web"]],
  ["depends_on bad condition", {"depends_on": {"db": {"condition": "service_ready"}}}, ["services.web.depends_on.db.condition: must be \"service_started\", \"service_healthy\" or \"service_completed_successfully\", got \"service_ready\""]],
  ["depends_on wrong type", {"depends_on": "db"}, ["services.web.depends_on: must be a list of service names or a mapping of service name to condition, got \"db\""]],
  ["depends_on required not boolean", {"depends_on": {"db": {"required": "nope"}}}, ["services.web.depends_on.db.required: must be true or false, got \"nope\""]],
  ["stop_grace_period bad", {"stop_grace_period": "10 seconds"}, ["services.web.stop_grace_period: \"10 seconds\" is not a duration (use a number with a unit, e.g. 10s, 1m30s or 500ms)"]],
  ["deploy not a mapping", {"deploy": "replicated"}, ["services.web.deploy: must be a mapping, got \"replicated\""]],
  ["deploy mode global with replicas", {"deploy": {"mode": "global", "replicas": 2}}, ["services.web.deploy.replicas: replicas can only be used with replicated mode (a global service runs one replica on every eligible node)"]],
  ["deploy mode global with replicas 0", {"deploy": {"mode": "global", "replicas": 0}}, ["services.web.deploy.replicas: replicas can only be used with replicated mode (a global service runs one replica on every eligible node)"]],
  ["deploy mode replicated-job", {"deploy": {"mode": "replicated-job"}}, ["services.web.deploy.mode: replicated-job mode is not supported (Baton runs long-lived services, not jobs that run to completion; use replicated or global mode)"]],
  ["preferences: engine labels", {"deploy": {"placement": {"preferences": [{"spread": "engine.labels.dc"}]}}}, ["services.web.deploy.placement.preferences.0.spread: \"engine.labels.dc\": engine labels are not supported (Baton has no engine labels; set a node label and spread over node.labels.<key>)"]],
  ["preferences: not a label", {"deploy": {"placement": {"preferences": [{"spread": "node.hostname"}]}}}, ["services.web.deploy.placement.preferences.0.spread: \"node.hostname\" cannot be spread over (use node.labels.<key>, e.g. node.labels.zone)"]],
  ["preferences: label without key", {"deploy": {"placement": {"preferences": [{"spread": "node.labels."}]}}}, ["services.web.deploy.placement.preferences.0.spread: \"node.labels.\": node.labels needs a label key, e.g. node.labels.zone"]],
  ["preferences: no spread", {"deploy": {"placement": {"preferences": [{}]}}}, ["services.web.deploy.placement.preferences.0.spread: is required"]],
  ["preferences: unknown kind", {"deploy": {"placement": {"preferences": [{"spread": "node.labels.zone", "pack": "x"}]}}}, ["services.web.deploy.placement.preferences.0.pack: unknown key \"pack\""]],
  ["preferences: not a list", {"deploy": {"placement": {"preferences": {"spread": "node.labels.zone"}}}}, ["services.web.deploy.placement.preferences: must be a list such as [{spread: node.labels.zone}], got a mapping"]],
  ["deploy mode global-job", {"deploy": {"mode": "global-job"}}, ["services.web.deploy.mode: global-job mode is not supported (Baton runs long-lived services, not jobs that run to completion; use replicated or global mode)"]],
  ["deploy mode invalid", {"deploy": {"mode": "daemon"}}, ["services.web.deploy.mode: must be \"replicated\", \"global\", \"replicated-job\" or \"global-job\", got \"daemon\""]],
  ["replicas negative", {"deploy": {"replicas": -1}}, ["services.web.deploy.replicas: must be at least 0, got -1"]],
  ["replicas fraction", {"deploy": {"replicas": 1.5}}, ["services.web.deploy.replicas: must be a whole number, got 1.5"]],
  // "3" is 3 since issue 11 (Compose casts it); a string that is not a whole number is still refused.
  ["replicas string", {"deploy": {"replicas": "three"}}, ["services.web.deploy.replicas: must be a whole number, got \"three\""]],
  ["replicas huge", {"deploy": {"replicas": 1e+300}}, ["services.web.deploy.replicas: is too large, got 1e+300"]],
  ["reservation memory not a byte value", {"deploy": {"resources": {"reservations": {"memory": "64MiB"}}}}, ["services.web.deploy.resources.reservations.memory: \"64MiB\" is not a byte value (use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G)"]],
  ["reservation memory wrong type", {"deploy": {"resources": {"reservations": {"memory": [64]}}}}, ["services.web.deploy.resources.reservations.memory: must be a byte value such as 64M or 1G, got a list"]],
  ["limit cpus negative", {"deploy": {"resources": {"limits": {"cpus": "-1"}}}}, ["services.web.deploy.resources.limits.cpus: \"-1\" is not a CPU count (must not be negative)"]],
  ["limit cpus millicores", {"deploy": {"resources": {"limits": {"cpus": "500m"}}}}, ["services.web.deploy.resources.limits.cpus: \"500m\" is not a CPU count (use a number of cores, e.g. 0.5 or 2)"]],
  ["limits pids", {"deploy": {"resources": {"limits": {"pids": 100}}}}, ["services.web.deploy.resources.limits.pids: not supported: Baton limits CPU and memory only"]],
  ["reservations devices", {"deploy": {"resources": {"reservations": {"devices": [{"capabilities": ["gpu"]}]}}}}, ["services.web.deploy.resources.reservations.devices: not supported: Baton reserves CPU and memory only"]],
  ["reservations generic_resources", {"deploy": {"resources": {"reservations": {"generic_resources": [{"discrete_resource_spec": {"kind": "gpu", "value": 1}}]}}}}, ["services.web.deploy.resources.reservations.generic_resources: not supported: Baton reserves CPU and memory only"]],
  ["resources typo", {"deploy": {"resources": {"limit": {"cpus": 1}}}}, ["services.web.deploy.resources.limit: unknown key \"limit\" (did you mean \"limits\"?)"]],
  ["reservation over limit", {"deploy": {"resources": {"reservations": {"cpus": 2, "memory": "1G"}, "limits": {"cpus": 1, "memory": "512M"}}}}, ["services.web.deploy.resources.reservations.cpus: reservation of 2 CPU is more than the limit of 1 CPU (limits.cpus)", "services.web.deploy.resources.reservations.memory: reservation of 1 GiB is more than the limit of 512 MiB (limits.memory)"]],
  ["limit zero", {"deploy": {"resources": {"limits": {"cpus": 0, "memory": 0}}}}, ["services.web.deploy.resources.limits.cpus: must be greater than 0 (leave it out for no limit)", "services.web.deploy.resources.limits.memory: must be greater than 0 (leave it out for no limit)"]],
  ["limit memory below Docker minimum", {"deploy": {"resources": {"limits": {"memory": "4M"}}}}, ["services.web.deploy.resources.limits.memory: must be at least 6 MiB (Docker's minimum), got 4 MiB"]],
  ["constraint without operator", {"deploy": {"placement": {"constraints": ["node.role=manager"]}}}, ["services.web.deploy.placement.constraints.0: \"node.role=manager\" is not a constraint (use attribute==value or attribute!=value)"]],
  ["constraint engine label", {"deploy": {"placement": {"constraints": ["engine.labels.os==linux"]}}}, ["services.web.deploy.placement.constraints.0: \"engine.labels.os==linux\": engine labels are not supported (Baton has no engine labels; set a node label and use node.labels.<key>)"]],
  ["constraint unknown attribute", {"deploy": {"placement": {"constraints": ["node.hostnme==a"]}}}, ["services.web.deploy.placement.constraints.0: \"node.hostnme==a\": unknown attribute \"node.hostnme\" (did you mean \"node.hostname\"?) (use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key>)"]],
  ["constraint label without key", {"deploy": {"placement": {"constraints": ["node.labels.==a"]}}}, ["services.web.deploy.placement.constraints.0: \"node.labels.==a\": node.labels needs a label key, e.g. node.labels.zone"]],
  ["constraint without value", {"deploy": {"placement": {"constraints": ["node.role=="]}}}, ["services.web.deploy.placement.constraints.0: \"node.role==\" has no value after =="]],
  ["constraints not a list", {"deploy": {"placement": {"constraints": "node.role==worker"}}}, ["services.web.deploy.placement.constraints: must be a list, got \"node.role==worker\""]],
  ["max_replicas_per_node negative", {"deploy": {"placement": {"max_replicas_per_node": -1}}}, ["services.web.deploy.placement.max_replicas_per_node: must be at least 0, got -1"]],
  ["restart_policy bad condition", {"deploy": {"restart_policy": {"condition": "always"}}}, ["services.web.deploy.restart_policy.condition: must be \"none\", \"on-failure\" or \"any\", got \"always\""]],
  ["restart_policy bad delay", {"deploy": {"restart_policy": {"delay": "soon"}}}, ["services.web.deploy.restart_policy.delay: \"soon\" is not a duration (use a number with a unit, e.g. 10s, 1m30s or 500ms)"]],
  ["update_config bad failure_action", {"deploy": {"update_config": {"failure_action": "retry"}}}, ["services.web.deploy.update_config.failure_action: must be \"continue\", \"rollback\" or \"pause\", got \"retry\""]],
  ["rollback_config cannot roll back", {"deploy": {"rollback_config": {"failure_action": "rollback"}}}, ["services.web.deploy.rollback_config.failure_action: must be \"continue\" or \"pause\", got \"rollback\""]],
  ["update_config bad order", {"deploy": {"update_config": {"order": "random"}}}, ["services.web.deploy.update_config.order: must be \"stop-first\" or \"start-first\", got \"random\""]],
  ["update_config ratio above 1", {"deploy": {"update_config": {"max_failure_ratio": 1.5}}}, ["services.web.deploy.update_config.max_failure_ratio: must be at most 1, got 1.5"]],
  ["update_config parallelism negative", {"deploy": {"update_config": {"parallelism": -2}}}, ["services.web.deploy.update_config.parallelism: must be at least 0, got -2"]],
  ["x-baton bad placement", {"x-baton": {"placement": "random"}}, ["services.web.x-baton.placement: must be \"binpack\" or \"spread\", got \"random\""]],
  ["x-baton typo", {"x-baton": {"placment": "spread"}}, ["services.web.x-baton.placment: unknown key \"placment\" (did you mean \"placement\"?)"]],
  // build next to image, container_name and restart are warnings since issue 11 (stack deploy ignores them).
  ["build without image", {"image": undefined, "build": "."}, ["services.web.image: is required", "services.web.build: not supported: Baton runs prebuilt images; build and push the image, then set image"]],
  ["volumes: relative bind source", {"volumes": ["./data:/data"]}, ["services.web.volumes.0: bind mount source \"./data\" must be an absolute path on the node: the replica runs on a node, not next to the Compose file (stack deploy has the same rule in a cluster)"]],
  ["privileged", {"privileged": true}, ["services.web.privileged: not supported: Baton runs replicas with Docker defaults and does not pass this through yet"]],
  ["network_mode", {"network_mode": "service:db"}, ["services.web.network_mode: \"service:db\" is not supported: Baton runs replicas on the default network or, with \"host\", on the host's network (service:/container: modes would tie replicas to containers Baton does not place)"]],
  ["a network not defined at the top level", {"networks": ["backend"]}, ["services.web.networks.0: network \"backend\" is not defined under the top-level networks (add \"networks: { backend: {} }\")"]],
  ["a fixed address on a network", {"networks": {"default": {"ipv4_address": "10.0.0.5"}}}, ["services.web.networks.default.ipv4_address: is not supported: each host's Docker gives containers their addresses; reach the service by name at its service address (Baton connects services through each host's ingress and service addresses, not an overlay network)"]],
  ["cpus at service level", {"cpus": 0.5}, ["services.web.cpus: not supported: set resources under deploy.resources (limits and reservations)"]],
  ["mem_limit", {"mem_limit": "1g"}, ["services.web.mem_limit: not supported: set resources under deploy.resources (limits and reservations)"]],
  ["secrets not defined at the top level", {"secrets": ["db_password"]}, ["services.web.secrets.0: \"db_password\" is not defined under the top-level secrets"]],
  ["user", {"user": ["1000"]}, ["services.web.user: must be a string or number, got a list"]],
  ["env_file", {"env_file": ".env"}, ["services.web.env_file.0: \".env\" cannot be read (paths are relative to the Compose file; mark it required: false to skip a missing file)"]],
  ["extends", {"extends": {"service": "base"}}, ["services.web.extends: not supported: write the service out in full"]],
  ["profiles", {"profiles": ["debug"]}, ["services.web.profiles: not supported: every service in the file is deployed; remove the services you do not want"]],
  ["several problems at once", {"imgae": "x", "ports": ["99999"], "deploy": {"replicas": -1, "resources": {"limits": {"memory": "lots"}}}}, ["services.web.imgae: unknown key \"imgae\" (did you mean \"image\"?)", "services.web.ports.0: \"99999\": container port 99999 is not a port number (1-65535)", "services.web.deploy.replicas: must be at least 0, got -1", "services.web.deploy.resources.limits.memory: \"lots\" is not a byte value (use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G)"]],
];

t.test('service errors', async (t) => {
  for (const [name, web, want] of serviceErrors) {
    const r = parse(stackYaml(web, {}, SIBLINGS));
    t.same(errorLines(r), want, name);
  }
});

// [description, whole document, expected errors]
const documentErrors: [string, string, string[]][] = [
  ["YAML syntax error", "services:\n  web:\n    image: nginx\n   ports: []\n", ["(document): line 4, column 1: All mapping items must start at the same column"]],
  ["unclosed flow sequence", "name: a\nservices: [\n", ["(document): line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]"]],
  ["duplicate key", "name: a\nname: b\nservices: {}\n", ["(document): line 2, column 1: Map keys must be unique"]],
  ["two documents", "name: a\n---\nname: b\n", ["(document): line 2, column 1: a second YAML document starts here; a Compose file holds one document"]],
  ["bad escape", "name: \"a\\q\"\n", ["(document): line 1, column 9: Invalid escape sequence \\q"]],
  ["empty document", "", ["(document): the file is empty; it needs at least a services mapping"]],
  ["document is a list", "- a\n- b\n", ["(document): must be a mapping with a services key, got a list"]],
  ["document is a string", "hello\n", ["(document): must be a mapping with a services key, got \"hello\""]],
  ["non-string key", "name: a\nservices:\n  web:\n    image: x\n    labels:\n      ? [a, b]\n      : c\n", ["services.web.labels: keys must be strings, got a list as a key"]],
  ["self-referencing alias", "name: a\nservices:\n  web: &w\n    image: x\n    labels: [*w]\n", ["services.web.labels.0: an alias here refers to a mapping or list that contains it"]],
  ["services missing", "name: a\n", ["services: is required"]],
  ["services empty", "name: a\nservices: {}\n", ["services: must define at least one service"]],
  ["services a list", "name: a\nservices: [web]\n", ["services: must be a mapping of service name to service, got a list"]],
  ["service null", "name: a\nservices:\n  web:\n", ["services.web: must be a mapping, got null"]],
  ["service a string", "name: a\nservices:\n  web: nginx\n", ["services.web: must be a mapping, got \"nginx\""]],
  ["bad service name", "name: a\nservices:\n  \"my web\":\n    image: nginx\n", ["services[\"my web\"]: service name \"my web\" must start with a letter or digit, contain only letters, digits, \"_\", \".\" and \"-\", and be at most 63 characters"]],
  ["unknown top-level key", "name: a\nservics:\n  web:\n    image: nginx\n", ["services: is required", "servics: unknown key \"servics\" (did you mean \"services\"?)"]],
  ["bad stack name", "name: My_App\nservices:\n  web:\n    image: nginx\n", ["name: \"My_App\" must start with a lowercase letter or digit and contain only lowercase letters, digits, \"_\" and \"-\""]],
  ["name wrong type", "name: [a]\nservices:\n  web:\n    image: nginx\n", ["name: must be a stack name, got a list"]],
  ["top-level volumes: a definition that is not a mapping", "name: a\nservices:\n  web:\n    image: nginx\nvolumes:\n  data: 5\n", ["volumes.data: must be a mapping (driver, driver_opts, external, name) or empty, got 5"]],
  ["top-level networks: internal", "name: a\nservices:\n  web:\n    image: nginx\nnetworks:\n  backend: { internal: true }\n", ["networks.backend.internal: is not supported: a replica reaches the outside through its host's network, and cutting it off needs an overlay network Baton does not build (Baton connects services through each host's ingress and service addresses, not an overlay network)"]],
  ["top-level secrets file not sent", "name: a\nservices:\n  web:\n    image: nginx\nsecrets:\n  pw:\n    file: ./pw\n", ["secrets.pw.file: \"./pw\": the file's content was not sent with the deploy (deploy it with the baton CLI, which reads it)"]],
  ["dependency cycle", "name: a\nservices:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a]\n", ["services.a.depends_on: dependency cycle: a -> b -> c -> a"]],
  ["healthy dependency with healthcheck disabled", "name: a\nservices:\n  web:\n    image: x\n    depends_on:\n      db: { condition: service_healthy }\n  db:\n    image: y\n    healthcheck: { test: [NONE] }\n", ["services.web.depends_on.db: waits for \"db\" to be healthy, but its healthcheck is disabled"]],
  ["dependency on an invalid service is not reported twice", "name: a\nservices:\n  web:\n    image: x\n    depends_on: [db]\n  db:\n    image: 5\n", ["services.db.image: must be an image reference such as nginx:1.27, got 5"]],
  ["interpolation syntax error", "name: a\nservices:\n  web:\n    image: nginx\n    command: echo $ 5\n", ["services.web.command: invalid interpolation in \"echo $ 5\": a \"$\" must start $NAME or ${NAME}; write \"$$\" for a literal \"$\""]],
];

t.test('document errors', async (t) => {
  for (const [name, text, want] of documentErrors) t.same(errorLines(parse(text)), want, name);
  const badOption = parseCompose('services:\n  web:\n    image: nginx\n', { file: 'c.yaml', stackName: 'Bad Name' });
  t.same(errorLines(badOption), [
    'name: "Bad Name" (given as the stack name) must start with a lowercase letter or digit and contain only lowercase letters, digits, "_" and "-"',
  ]);
});

// [description, fields of `web`, expected warnings]; each of these still parses.
const serviceWarnings: [string, Record<string, unknown>, string[]][] = [
  // hostname, logging and init were ignored with a warning before issue 11; they reach Docker now (compose-container.test.ts).
  ["tty and stdin_open", {"tty": true, "stdin_open": true}, ["services.web.tty: ignored: replicas are not attached to a terminal", "services.web.stdin_open: ignored: replicas are not attached to a terminal"]],
  // placement.preferences was a warning before issue 11; the scheduler honours spread now (compose-parse.test.ts, scheduler-preferences.test.ts).
  // `expose` was a warning ("only documents ports") before issue 9; it is supported now (compose-parse.test.ts).
  // endpoint_mode's reason changed with issue 9: every service has a VIP now, so only dnsrr is ignored.
  ["endpoint_mode", {"deploy": {"endpoint_mode": "dnsrr"}}, ["services.web.deploy.endpoint_mode: ignored: every service gets a virtual IP (endpoint_mode: vip); DNS round robin is not supported"]],
  ["long port name and app_protocol", {"ports": [{"target": 80, "name": "http", "app_protocol": "http"}]}, ["services.web.ports.0.name: ignored: port names are not used", "services.web.ports.0.app_protocol: ignored: app_protocol is not used"]],
  ["optional dependency missing", {"depends_on": {"queue": {"required": false}}}, ["services.web.depends_on.queue: optional dependency \"queue\" is not a service in this file, so it is ignored"]],
  ["bare environment variable not set", {"environment": ["UNSET_VAR"]}, ["services.web.environment.0: \"UNSET_VAR\" has no value here and is not set in the environment, so it is left out"]],
];

t.test('warnings', async (t) => {
  for (const [name, web, want] of serviceWarnings) {
    const r = parse(stackYaml(web, {}, SIBLINGS));
    t.ok(r.ok, `${name} still parses`);
    t.same(warningLines(r), want, name);
  }
  const unresolvedTag = parse('name: a\nservices:\n  web:\n    image: !custom nginx\n');
  t.same(warningLines(unresolvedTag), ['(document): line 4, column 12: Unresolved tag: !custom']);
});

t.test('depends_on restart: true is honoured (issue 8), so it parses without a warning', async (t) => {
  const r = parse(stackYaml({ depends_on: { db: { restart: true } } }, {}, SIBLINGS));
  t.ok(r.ok);
  t.same(warningLines(r), []);
  if (r.ok) t.same(r.stack.services.find((s) => s.name === 'web')?.dependsOn, [{ service: 'db', condition: 'service_started', required: true, restart: true }]);
});

t.test('issues carry the file name and format as file: path: message', async (t) => {
  const r = parseCompose(stackYaml({ deploy: { resources: { reservations: { memory: '64MiB' } } } }), { file: 'stack/compose.yaml' });
  t.same(r.ok ? [] : r.errors, [
    {
      file: 'stack/compose.yaml',
      path: 'services.web.deploy.resources.reservations.memory',
      message: '"64MiB" is not a byte value (use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G)',
    },
  ]);
  t.equal(
    r.ok ? '' : formatIssue(r.errors[0]!),
    'stack/compose.yaml: services.web.deploy.resources.reservations.memory: "64MiB" is not a byte value (use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G)',
  );
  const syntax = parseCompose('a: [', { file: 'compose.yaml' });
  t.equal(
    syntax.ok ? '' : formatIssue(syntax.errors[0]!),
    'compose.yaml: line 1, column 5: Flow sequence in block collection must be sufficiently indented and end with a ]',
  );
});
