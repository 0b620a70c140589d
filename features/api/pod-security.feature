# Pod Security admission as kube-apiserver's PodSecurity plugin applies it
# (k8s:staging/src/k8s.io/pod-security-admission/admission/admission.go): the namespace labels choose a level per
# mode, the checks and their words are k8s:staging/src/k8s.io/pod-security-admission/policy/check_*.go, and a
# refusal lists the failed checks in the policy's order. Warnings are what kubectl prints on stderr.
@epic:api @feature:pod-security
Feature: Pod Security admission holds pods to the level their namespace asks for
  The platform team labels each namespace with the Pod Security Standard it must meet. A developer wants to
  know, before deploying, whether their pods will be admitted there, and what to change when they are not.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 32Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: apps
        labels: {pod-security.kubernetes.io/enforce: baseline}
      ---
      apiVersion: v1
      kind: Namespace
      metadata:
        name: secure
        labels: {pod-security.kubernetes.io/enforce: restricted}
      """

  @severity:critical
  Scenario: a privileged pod is refused in a baseline namespace
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: debug, namespace: apps}
      spec:
        containers:
          - name: shell
            image: busybox
            securityContext: {privileged: true}
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Pod apps/debug): pods "debug" is forbidden: violates PodSecurity "baseline:latest": privileged (container "shell" must not set securityContext.privileged=true)
      """
    And nothing of the refused manifests was applied

  @severity:critical
  Scenario: a pod without the restricted settings is told every violation, baseline checks first
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: secure}
      spec:
        hostNetwork: true
        containers:
          - name: app
            image: nginx
            volumeMounts: [{name: host, mountPath: /host}]
        volumes:
          - name: host
            hostPath: {path: /var/log}
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Pod secure/web): pods "web" is forbidden: violates PodSecurity "restricted:latest": host namespaces (hostNetwork), allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), restricted volume types (volumes ["host"] have restricted types), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """

  Scenario: a pod with the restricted settings is admitted without a warning
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: secure}
      spec:
        securityContext:
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        containers:
          - name: app
            image: nginx
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
      """
    And the cluster reconciles
    Then pod "secure/web" is scheduled on node "n1"
    And the API server gave no warning

  @severity:critical
  Scenario: a Deployment the namespace would refuse pods of is admitted with a warning, and its pods fail
    When I apply the manifests:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: secure}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: app, image: nginx}]
      """
    Then the API server warned:
      """
      Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """
    When the cluster reconciles
    Then there are 0 pods matching "app=web"
    And the events include:
      | type    | reason       | object                           | message |
      | Warning | FailedCreate | replicaset/secure/web-6cc9c5cc47 | Error creating: pods "web-6cc9c5cc47-c5rnc" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost") |

  Scenario: a namespace that only warns admits the pod and says what it would refuse
    Given the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: legacy
        labels: {pod-security.kubernetes.io/warn: baseline}
      """
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: agent, namespace: legacy}
      spec:
        hostPID: true
        containers:
          - name: agent
            image: agent
            ports: [{containerPort: 9100, hostPort: 9100}]
      """
    Then the API server warned:
      """
      Warning: would violate PodSecurity "baseline:latest": host namespaces (hostPID), hostPort (container "agent" uses hostPort 9100)
      """
    When the cluster reconciles
    Then pod "legacy/agent" is scheduled on node "n1"

  @severity:critical
  Scenario: enforcing a level on a namespace warns about the pods already there
    Given the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: team}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: team}
      spec:
        containers: [{name: app, image: nginx}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-2, namespace: team}
      spec:
        containers: [{name: app, image: nginx}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: node-exporter, namespace: team}
      spec:
        hostNetwork: true
        containers: [{name: exporter, image: node-exporter}]
      """
    When I label namespace "team" with "pod-security.kubernetes.io/enforce=restricted"
    Then the API server warned:
      """
      Warning: existing pods in namespace "team" violate the new PodSecurity enforce level "restricted:latest"
      Warning: node-exporter: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile
      Warning: web-1 (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile
      """
    When the cluster reconciles
    Then pod "team/node-exporter" is scheduled on node "n1"

  Scenario: a namespace pinned to an older policy version keeps that version's checks
    Given the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: pinned
        labels:
          pod-security.kubernetes.io/enforce: baseline
          pod-security.kubernetes.io/enforce-version: v1.33
      """
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: pinned}
      spec:
        containers:
          - name: app
            image: nginx
            readinessProbe:
              httpGet: {host: 10.0.0.1, port: 80}
      """
    And the cluster reconciles
    Then pod "pinned/web" is scheduled on node "n1"
    And the API server gave no warning

  Scenario: the latest policy refuses a probe aimed at another host
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: apps}
      spec:
        containers:
          - name: app
            image: nginx
            readinessProbe:
              httpGet: {host: 10.0.0.1, port: 80}
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Pod apps/web): pods "web" is forbidden: violates PodSecurity "baseline:latest": probe or lifecycle host (container "app" uses probe or lifecycle host "10.0.0.1")
      """

  Scenario: a level Pod Security does not know is refused on the namespace
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: typo
        labels: {pod-security.kubernetes.io/enforce: strict}
      """
    Then the manifests are refused with:
      """
      manifests:5: document 1 (Namespace typo): The Namespace "typo" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted
      """
