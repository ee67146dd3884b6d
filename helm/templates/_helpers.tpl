{{/*
Expand the name of the chart.
*/}}
{{- define "lrnn-serve.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "lrnn-serve.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "lrnn-serve.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "lrnn-serve.labels" -}}
helm.sh/chart: {{ include "lrnn-serve.chart" . }}
{{ include "lrnn-serve.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lrnn-serve
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "lrnn-serve.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lrnn-serve.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "lrnn-serve.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lrnn-serve.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: repository@digest when a digest is given, else repository:tag (tag defaults
to the chart's appVersion).
*/}}
{{- define "lrnn-serve.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
Name of the chart's Secret (API key, database password).
*/}}
{{- define "lrnn-serve.secretName" -}}
{{- include "lrnn-serve.fullname" . }}
{{- end }}

{{/*
The Secret and key that hold the API key.
*/}}
{{- define "lrnn-serve.apiKeySecretName" -}}
{{- default (include "lrnn-serve.secretName" .) .Values.auth.existingSecret }}
{{- end }}
{{- define "lrnn-serve.apiKeySecretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretApiKeyKey }}{{ else }}api-key{{ end }}
{{- end }}

{{/*
The Secret and key that hold the database password; empty name when there is no password.
*/}}
{{- define "lrnn-serve.databaseSecretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else if .Values.database.password }}
{{- include "lrnn-serve.secretName" . }}
{{- end }}
{{- end }}
{{- define "lrnn-serve.databaseSecretKey" -}}
{{- if .Values.database.existingSecret }}{{ .Values.database.existingSecretPasswordKey }}{{ else }}database-password{{ end }}
{{- end }}

{{/*
The API key the chart's Secret holds: auth.apiKey when given, else, on an upgrade, the key
already in the release's Secret (so upgrades keep it), else a new random one. An install has no
Secret to look up, so it never calls the cluster (`helm template` renders as an install).
`lookup` sees nothing in a GitOps tool's dry run: there a new key would be generated each time,
so set auth.apiKey or auth.existingSecret.
*/}}
{{- define "lrnn-serve.apiKey" -}}
{{- if .Values.auth.apiKey }}
{{- .Values.auth.apiKey }}
{{- else }}
{{- $existing := dict }}
{{- if .Release.IsUpgrade }}
{{- $existing = lookup "v1" "Secret" .Release.Namespace (include "lrnn-serve.secretName" .) }}
{{- end }}
{{- if and $existing $existing.data (hasKey $existing.data "api-key") }}
{{- index $existing.data "api-key" | b64dec }}
{{- else }}
{{- randAlphaNum 40 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Refuses settings that cannot work: the embedded H2 database lives inside one pod, so more than
one replica needs an external database. Included by the Deployment, so nothing renders.
*/}}
{{- define "lrnn-serve.validate" -}}
{{- $scaled := or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled }}
{{- if and $scaled (not .Values.database.url) }}
{{- fail "More than one replica (replicaCount > 1 or autoscaling.enabled) needs an external PostgreSQL: set database.url (and database.user, database.password or database.existingSecret). The embedded H2 database is single-replica only." }}
{{- end }}
{{- if and .Values.persistence.enabled $scaled }}
{{- fail "persistence.enabled keeps the embedded H2 database on one volume: it needs replicaCount 1 and autoscaling.enabled false." }}
{{- end }}
{{- end }}

{{/*
Whether the chart creates its own Secret: for a generated or given API key, or a given
database password.
*/}}
{{- define "lrnn-serve.createSecret" -}}
{{- if or (not .Values.auth.existingSecret) (and .Values.database.password (not .Values.database.existingSecret)) }}true{{ end }}
{{- end }}

{{/*
A probe's timings from its values (enabled is not a probe field).
*/}}
{{- define "lrnn-serve.probeTimings" -}}
initialDelaySeconds: {{ .initialDelaySeconds }}
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end }}
