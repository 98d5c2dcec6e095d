// Offline validation of the Kubernetes manifests in a directory (default: deploy/k8s). No cluster, no network.
//   node validate.mjs [DIR]          exit 0 when every check passes, 1 otherwise (every problem is listed)
//   node validate.mjs --self-test    proves that each check can fail: breaks copies of the manifests on purpose
//
// Checks, per YAML document:
//   1. YAML syntax (every file, every document);
//   2. the Kubernetes JSON schema of its apiVersion/kind (kubernetes-models: types, required fields, formats,
//      enums) -- what kubeconform does, from an npm package instead of a download;
//   3. no unknown fields (typos such as "readinesProbe" pass a schema without additionalProperties: the field
//      lists of @kubernetes/client-node's models catch them, as `kubectl apply` with strict validation would);
// and across documents:
//   4. references resolve: Services and PodDisruptionBudgets select pods of some workload, Service targetPorts
//      and probe ports name a container port, ConfigMap/Secret references (envFrom, valueFrom, volumes) and
//      their keys exist, Ingress backends name an existing Service port, selectors match template labels;
//   5. the kustomization lists every manifest file, and every object is in the namespace it declares;
//   6. the PostgreSQL init script embedded in postgres.yaml is deploy/compose/postgres/init-databases.sh.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import * as k8s from "@kubernetes/client-node";

const here = dirname(fileURLToPath(import.meta.url));

// ---- loading -------------------------------------------------------------------------------------------------

function loadDirectory(dir) {
  const problems = [];
  const docs = [];
  let kustomization = null;
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    parseAllDocuments(text).forEach((doc, index) => {
      const where = `${file}#${index + 1}`;
      if (doc.errors.length > 0) {
        doc.errors.forEach((e) => problems.push(`${where}: YAML: ${e.message.split("\n")[0]}`));
        return;
      }
      const object = doc.toJS();
      if (object == null) return;
      if (object.kind === "Kustomization") {
        kustomization = { file, object };
      } else {
        docs.push({ where, file, object });
      }
    });
  }
  return { dir, files, docs, kustomization, problems };
}

// ---- 2. schema -------------------------------------------------------------------------------------------------

async function schemaProblems({ where, object }) {
  const { apiVersion, kind } = object;
  if (!apiVersion || !kind || !object.metadata?.name) {
    return [`${where}: apiVersion, kind and metadata.name are required`];
  }
  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return [`${where}: unknown apiVersion/kind ${apiVersion}/${kind}`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (e) {
    const details = e.details ?? [];
    if (details.length === 0) return [`${where}: ${kind} ${object.metadata.name}: ${e.message}`];
    return details.map((d) => `${where}: ${kind} ${object.metadata.name}: ${d.instancePath || "/"} ${d.message}`);
  }
}

// ---- 3. unknown fields -----------------------------------------------------------------------------------------

function modelClass(typeName) {
  const candidate = k8s[typeName];
  return typeof candidate?.getAttributeTypeMap === "function" ? candidate : null;
}

function unknownFields(value, typeName, path, out) {
  if (value == null) return;
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    if (typeof value === "object") Object.entries(value).forEach(([k, v]) => unknownFields(v, map[1], `${path}.${k}`, out));
    return;
  }
  const model = modelClass(typeName);
  if (!model || typeof value !== "object" || Array.isArray(value)) return;
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, child] of Object.entries(value)) {
    if (!attributes.has(key)) {
      out.push(`${path}.${key}: unknown field (not in ${typeName})`);
    } else {
      unknownFields(child, attributes.get(key), `${path}.${key}`, out);
    }
  }
}

function fieldProblems({ where, object }) {
  const version = object.apiVersion.split("/").pop();
  const typeName = version.charAt(0).toUpperCase() + version.slice(1) + object.kind;
  if (!modelClass(typeName)) return [`${where}: no field list for ${object.apiVersion}/${object.kind}`];
  const out = [];
  unknownFields(object, typeName, object.kind, out);
  return out.map((p) => `${where}: ${p}`);
}

// ---- 4. references ---------------------------------------------------------------------------------------------

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function referenceProblems(docs) {
  const problems = [];
  const byKind = (kind) => docs.filter((d) => d.object.kind === kind);
  const named = (kind, name, namespace) =>
    docs.find((d) => d.object.kind === kind && d.object.metadata.name === name && d.object.metadata.namespace === namespace);
  const keysOf = (doc) => new Set(Object.keys({ ...doc.object.data, ...doc.object.stringData, ...doc.object.binaryData }));
  const workloads = docs.filter((d) => WORKLOADS.has(d.object.kind));

  for (const w of workloads) {
    const { metadata, spec } = w.object;
    const ns = metadata.namespace;
    const podLabels = spec.template?.metadata?.labels;
    if (!matches(spec.selector?.matchLabels, podLabels)) {
      problems.push(`${w.where}: ${metadata.name}: spec.selector does not match the pod template's labels`);
    }
    const pod = spec.template?.spec ?? {};
    const volumes = pod.volumes ?? [];
    for (const v of volumes) {
      if (v.configMap && !named("ConfigMap", v.configMap.name, ns)) problems.push(`${w.where}: volume ${v.name}: no ConfigMap ${v.configMap.name}`);
      if (v.secret && !named("Secret", v.secret.secretName, ns)) problems.push(`${w.where}: volume ${v.name}: no Secret ${v.secret.secretName}`);
    }
    const claimTemplates = new Set((spec.volumeClaimTemplates ?? []).map((c) => c.metadata?.name));
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const where = `${w.where}: ${metadata.name}/${c.name}`;
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      const portNumbers = new Set((c.ports ?? []).map((p) => p.containerPort));
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
        if (port !== undefined && !(portNames.has(port) || portNumbers.has(port))) {
          problems.push(`${where}: ${probe} port ${port} is not a container port`);
        }
      }
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef && !named("ConfigMap", e.configMapRef.name, ns)) problems.push(`${where}: envFrom: no ConfigMap ${e.configMapRef.name}`);
        if (e.secretRef && !named("Secret", e.secretRef.name, ns)) problems.push(`${where}: envFrom: no Secret ${e.secretRef.name}`);
      }
      for (const e of c.env ?? []) {
        for (const [ref, kind] of [["configMapKeyRef", "ConfigMap"], ["secretKeyRef", "Secret"]]) {
          const r = e.valueFrom?.[ref];
          if (!r) continue;
          const target = named(kind, r.name, ns);
          if (!target) problems.push(`${where}: env ${e.name}: no ${kind} ${r.name}`);
          else if (!keysOf(target).has(r.key)) problems.push(`${where}: env ${e.name}: ${kind} ${r.name} has no key ${r.key}`);
        }
      }
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.some((v) => v.name === m.name) && !claimTemplates.has(m.name)) {
          problems.push(`${where}: volumeMount ${m.name}: no such volume`);
        }
      }
    }
  }

  for (const s of byKind("Service")) {
    const { metadata, spec } = s.object;
    if (!spec.selector) continue;
    const selected = workloads.filter(
      (w) => w.object.metadata.namespace === metadata.namespace && matches(spec.selector, w.object.spec.template?.metadata?.labels));
    if (selected.length === 0) {
      problems.push(`${s.where}: Service ${metadata.name}: its selector matches no workload's pods`);
      continue;
    }
    for (const p of spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const found = selected.some((w) => (w.object.spec.template.spec.containers ?? [])
        .some((c) => (c.ports ?? []).some((cp) => cp.name === target || cp.containerPort === target)));
      if (!found) problems.push(`${s.where}: Service ${metadata.name}: targetPort ${target} is no container port of the selected pods`);
    }
  }

  for (const b of byKind("PodDisruptionBudget")) {
    const { metadata, spec } = b.object;
    if (!workloads.some((w) => w.object.metadata.namespace === metadata.namespace
        && matches(spec.selector?.matchLabels, w.object.spec.template?.metadata?.labels))) {
      problems.push(`${b.where}: PodDisruptionBudget ${metadata.name}: its selector matches no workload's pods`);
    }
  }

  for (const i of byKind("Ingress")) {
    const { metadata, spec } = i.object;
    const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))]
      .filter((b) => b?.service);
    for (const { service } of backends) {
      const target = named("Service", service.name, metadata.namespace);
      if (!target) {
        problems.push(`${i.where}: Ingress ${metadata.name}: no Service ${service.name}`);
      } else if (!(target.object.spec.ports ?? []).some((p) => p.name === service.port?.name || p.port === service.port?.number)) {
        problems.push(`${i.where}: Ingress ${metadata.name}: Service ${service.name} has no port ${service.port?.name ?? service.port?.number}`);
      }
    }
  }
  return problems;
}

// ---- 5. kustomization and namespaces ---------------------------------------------------------------------------

function layoutProblems({ files, docs, kustomization }) {
  const problems = [];
  if (!kustomization) return ["kustomization.yaml is missing"];
  const listed = new Set(kustomization.object.resources ?? []);
  for (const file of files.filter((f) => f !== kustomization.file)) {
    if (!listed.has(file)) problems.push(`${kustomization.file}: resources does not list ${file}`);
  }
  for (const r of listed) {
    if (!files.includes(r)) problems.push(`${kustomization.file}: resource ${r} does not exist`);
  }
  const namespace = kustomization.object.namespace;
  for (const d of docs) {
    if (d.object.kind === "Namespace") continue;
    if (d.object.metadata?.namespace !== namespace) {
      problems.push(`${d.where}: ${d.object.kind} ${d.object.metadata?.name}: namespace ${d.object.metadata?.namespace} (expected: ${namespace})`);
    }
  }
  if (!docs.some((d) => d.object.kind === "Namespace" && d.object.metadata.name === namespace)) {
    problems.push(`no Namespace ${namespace} among the manifests`);
  }
  return problems;
}

// ---- 6. one init script for compose and Kubernetes -------------------------------------------------------------

function embeddedScriptProblems(dir, docs) {
  const original = join(dir, "..", "compose", "postgres", "init-databases.sh");
  if (!existsSync(original)) return [];
  const init = docs.find((d) => d.object.kind === "ConfigMap" && d.object.metadata.name === "postgres-init");
  const embedded = init?.object.data?.["10-init-databases.sh"];
  if (embedded === readFileSync(original, "utf8")) return [];
  return [`${init?.where ?? "postgres.yaml"}: ConfigMap postgres-init: 10-init-databases.sh differs from ${original}`];
}

async function validate(loaded) {
  const problems = [...loaded.problems];
  for (const doc of loaded.docs) {
    const schema = await schemaProblems(doc);
    problems.push(...schema);
    if (schema.length === 0 || !schema[0].includes("unknown apiVersion")) problems.push(...fieldProblems(doc));
  }
  problems.push(...referenceProblems(loaded.docs), ...layoutProblems(loaded), ...embeddedScriptProblems(loaded.dir, loaded.docs));
  return problems;
}

// ---- self-test: every check must be able to fail ---------------------------------------------------------------

async function selfTest(dir) {
  const breakages = [
    ["schema: a string where an integer belongs", (d) => d.kind === "Deployment", (d) => { d.spec.replicas = "2"; }],
    ["schema: a required field missing", (d) => d.kind === "Deployment", (d) => { delete d.spec.template.spec.containers[0].name; }],
    ["fields: a misspelt field", (d) => d.kind === "Deployment", (d) => { d.spec.template.spec.containers[0].readinesProbe = {}; }],
    ["references: a Service selecting no pods", (d) => d.kind === "Service", (d) => { d.spec.selector = { app: "nothing" }; }],
    ["references: a probe on an undeclared port", (d) => d.kind === "Deployment", (d) => { d.spec.template.spec.containers[0].readinessProbe.httpGet.port = "nope"; }],
    ["references: a missing Secret key", (d) => d.kind === "Deployment" && d.metadata.name === "user-service",
      (d) => { d.spec.template.spec.containers[0].env.find((e) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.key = "nope"; }],
    ["references: an Ingress to an unknown Service", (d) => d.kind === "Ingress", (d) => { d.spec.rules[0].http.paths[0].backend.service.name = "nope"; }],
    ["layout: an object in another namespace", (d) => d.kind === "ConfigMap", (d) => { d.metadata.namespace = "default"; }],
    ["init script: the embedded copy edited", (d) => d.metadata?.name === "postgres-init", (d) => { d.data["10-init-databases.sh"] += "# edited\n"; }],
  ];
  let failed = 0;
  for (const [name, pick, breakIt] of breakages) {
    const loaded = loadDirectory(dir);
    const victim = loaded.docs.find((d) => pick(d.object));
    if (!victim) { console.log(`  self-test: ${name}: nothing to break`); failed++; continue; }
    breakIt(victim.object);
    const problems = await validate(loaded);
    if (problems.length === 0) { console.log(`  self-test: ${name}: NOT detected`); failed++; }
  }
  console.log(`k8s check self-test: ${breakages.length - failed} of ${breakages.length} deliberate breakages detected`);
  return failed === 0;
}

// ---- main ------------------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const dir = resolve(args.find((a) => !a.startsWith("--")) ?? join(here, ".."));
if (args.includes("--self-test")) {
  process.exit((await selfTest(dir)) ? 0 : 1);
}
const loaded = loadDirectory(dir);
const problems = await validate(loaded);
if (problems.length > 0) {
  problems.forEach((p) => console.log(`  ${p}`));
  console.log(`k8s check: ${problems.length} problem(s) in ${dir}`);
  process.exit(1);
}
const kinds = [...new Set(loaded.docs.map((d) => d.object.kind))].join(", ");
console.log(`k8s check: ${loaded.docs.length} objects in ${loaded.files.length} files OK (YAML, schema, fields, references): ${kinds}`);
