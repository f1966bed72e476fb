// The deployment files (Dockerfile, compose.yaml, deploy/) cannot be run here (no Docker engine,
// no cluster), so this checks what would break them: they parse, and they name the ports, paths,
// health endpoints, start command and variables the service really has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');
// compose.yaml shares the replicas' settings with a YAML merge key (<<), as Compose reads it.
const yamlOf = (path: string) => parse(read(path), { merge: true }) as Record<string, any>;
/** Every variable the README's configuration table documents. */
const documented = new Set([...read('README.md').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));

test('compose: two replicas behind HAProxy, on PostgreSQL, Redis and Mailpit, with documented variables', () => {
  const compose = yamlOf('compose.yaml');
  const services = compose.services as Record<string, any>;
  assert.deepEqual(Object.keys(services).sort(), ['haproxy', 'mailpit', 'postgres', 'redis', 'tongxing-1', 'tongxing-2']);
  for (const name of ['tongxing-1', 'tongxing-2']) {
    const env = services[name].environment as Record<string, string>;
    assert.equal(env.PORT, '8080');
    assert.equal(env.HOST, '0.0.0.0');
    assert.match(env.DATABASE_URL!, /@postgres:5432\//);
    assert.equal(env.REDIS_URL, 'redis://redis:6379');
    assert.match(env.SMTP_URL!, /mailpit:1025/);
    assert.equal(env.TRUST_PROXY, '1', 'HAProxy is the one hop');
    for (const key of Object.keys(env)) assert.ok(documented.has(key), `${key} is documented in README.md`);
    assert.ok(services[name].build, 'built from the Dockerfile');
  }
  const haproxy = services.haproxy;
  assert.deepEqual(haproxy.ports, ['8080:8080']);
  const mount = (haproxy.volumes as string[])[0]!.split(':');
  assert.ok(existsSync(`${root}${mount[0]!.replace(/^\.\//, '')}`), 'the HAProxy configuration is in the repository');
  assert.ok(services.postgres.healthcheck, 'the replicas wait for PostgreSQL');
});

test('haproxy.cfg: balances both replicas on port 8080, checks /readyz, keeps /metrics inside', () => {
  const cfg = read('deploy/haproxy/haproxy.cfg');
  assert.match(cfg, /http-check send meth GET uri \/readyz/);
  assert.match(cfg, /http-check expect status 200/);
  assert.match(cfg, /server tongxing-1 tongxing-1:8080 check/);
  assert.match(cfg, /server tongxing-2 tongxing-2:8080 check/);
  assert.match(cfg, /bind :8080/);
  // Names resolved through Docker's DNS while HAProxy runs: a recreated replica's new address is
  // found, and a replica down at HAProxy's start does not stop it from starting.
  assert.match(cfg, /^resolvers docker\n(?:[ \t]+[^\n]*\n)*?[ \t]+nameserver dns 127\.0\.0\.11:53$/m);
  const defaults = [...cfg.matchAll(/^\s*default-server ([^\n]*)$/gm)].map((m) => m[1]!);
  assert.equal(defaults.length, 2, 'one per backend');
  for (const line of defaults) assert.match(line, / resolvers docker init-addr last,libc,none$/);
  assert.match(cfg, /http-request del-header X-Forwarded-For[\s\S]*option forwardfor/, 'a client cannot choose its address');
  assert.match(cfg, /deny deny_status 404 if \{ path \/metrics \}/);
  // No node ready (the database away for all): the nodes still alive answer their own 503, with
  // Retry-After and in the person's language (test/process/outages.test.ts runs this file) …
  assert.match(cfg, /use_backend tongxing-unready if \{ nbsrv\(tongxing\) lt 1 \}/);
  assert.match(cfg, /backend tongxing-unready[\s\S]*http-check send meth GET uri \/healthz[\s\S]*server tongxing-1 tongxing-1:8080 check/);
  // … and with no node alive at all, the person reads why, in both languages.
  assert.match(cfg, /errorfile 503 \/usr\/local\/etc\/haproxy\/errors\/503\.http/);
  const page = read('deploy/haproxy/503.http');
  assert.match(page, /^HTTP\/1\.0 503 Service Unavailable\r\n[\s\S]*Content-Type: text\/html; charset=utf-8\r\n[\s\S]*\r\n\r\n<!doctype html>/);
  assert.match(page, /请稍候几秒再试/);
  assert.match(page, /try again in a few seconds/);
  assert.match(read('compose.yaml'), /\.\/deploy\/haproxy\/503\.http:\/usr\/local\/etc\/haproxy\/errors\/503\.http:ro/);
});

test('kubernetes: probes on /healthz, the configured port, non-root, a disruption budget, secrets from the Secret', () => {
  const kustomization = yamlOf('deploy/k8s/kustomization.yaml');
  for (const file of kustomization.resources as string[]) assert.ok(existsSync(`${root}deploy/k8s/${file}`), file);
  assert.deepEqual(
    readdirSync(`${root}deploy/k8s`)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort(),
    [...(kustomization.resources as string[])].sort(),
    'every manifest is applied by kubectl apply -k',
  );
  const deployment = yamlOf('deploy/k8s/deployment.yaml');
  const config = yamlOf('deploy/k8s/configmap.yaml');
  const secret = yamlOf('deploy/k8s/secret.yaml');
  const service = yamlOf('deploy/k8s/service.yaml');
  assert.equal(deployment.kind, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const port = container.ports.find((p: any) => p.name === 'http');
  assert.equal(String(port.containerPort), config.data.PORT);
  // Ready while the database is away (each pod answers its own 503): not /readyz, which would empty
  // the Service and leave the ingress's bare 503 (docs/deployment.md, "Kubernetes").
  assert.equal(container.readinessProbe.httpGet.path, '/healthz');
  assert.equal(String(container.readinessProbe.httpGet.port), 'http');
  assert.notEqual(service.spec.publishNotReadyAddresses, true, 'pods still migrating get no traffic');
  assert.equal(container.livenessProbe.httpGet.path, '/healthz');
  assert.equal(container.startupProbe.httpGet.path, '/healthz');
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0, 'a non-root uid');
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(
    container.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name),
    [config.metadata.name, secret.metadata.name],
  );
  assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, 'a rolling update never drops below the replicas');
  assert.deepEqual(
    container.lifecycle.preStop.exec.command,
    ['node', '-e', 'setTimeout(() => {}, 5000)'],
    'a pod being replaced serves while the endpoints stop routing to it',
  );
  assert.ok(pod.terminationGracePeriodSeconds >= 5 + 10, 'the pause and the 10 s stop fit in the grace period');
  assert.deepEqual(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels);
  assert.deepEqual(service.spec.selector, deployment.spec.template.metadata.labels);
  assert.equal(service.spec.ports[0].targetPort, 'http');
  for (const key of ['SECRET_KEY', 'DATABASE_URL', 'ID_ENCRYPTION_KEYS', 'ID_INDEX_KEY', 'METRICS_TOKEN'])
    assert.ok(key in secret.stringData, `${key} comes from the Secret`);
  for (const key of [...Object.keys(secret.stringData), ...Object.keys(config.data)]) assert.ok(documented.has(key), `${key} is documented in README.md`);
  assert.equal(config.data.NODE_ENV, 'production');
  // A drain never evicts the last pod serving.
  const pdb = yamlOf('deploy/k8s/pdb.yaml');
  assert.ok((kustomization.resources as string[]).includes('pdb.yaml'));
  assert.equal(pdb.apiVersion, 'policy/v1');
  assert.equal(pdb.kind, 'PodDisruptionBudget');
  assert.equal(pdb.spec.minAvailable, 1);
  assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels);
  // Every manifest is one YAML document that parses without errors.
  for (const file of kustomization.resources as string[]) {
    const docs = parseAllDocuments(read(`deploy/k8s/${file}`));
    assert.ok(Array.isArray(docs), `${file} parses`);
    assert.equal(docs.length, 1, file);
    assert.deepEqual(docs[0]!.errors, [], file);
  }
});

test('Dockerfile: multi-stage on Node 24, npm ci then pruned, non-root, health check, the start command', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
  assert.equal(stages.length, 2);
  for (const image of stages) assert.match(image, /^node:24-/);
  assert.match(dockerfile, /npm ci\b/);
  assert.match(dockerfile, /npm prune --omit=dev/);
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /^HEALTHCHECK [\s\S]*\/healthz/m);
  assert.match(dockerfile, /^EXPOSE 8080$/m);
  // The same command as `npm start`, run by node directly so SIGTERM reaches the service.
  const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start.split(' ');
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  assert.deepEqual(cmd, start);
  for (const [, from] of dockerfile.matchAll(/^COPY --chown=\S+ (\S+) /gm)) assert.ok(existsSync(`${root}${from}`), `${from} exists`);
  assert.match(read('.dockerignore'), /^node_modules$/m);
});
