{{- define "kruise-agents.name" -}}kruise-agents{{- end -}}

{{- define "kruise-agents.labels" -}}
app.kubernetes.io/name: kruise-agents
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kruise-agents.selector" -}}
app.kubernetes.io/name: kruise-agents
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kruise-agents.image" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
{{- $tag := default $root.Chart.AppVersion $root.Values.image.tag -}}
{{- if $root.Values.image.registry -}}
{{ printf "%s/%s/%s:%s" $root.Values.image.registry $root.Values.image.repository $component $tag }}
{{- else -}}
{{ printf "%s/%s:%s" $root.Values.image.repository $component $tag }}
{{- end -}}
{{- end -}}
