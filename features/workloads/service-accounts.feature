# Service accounts as the ServiceAccount controller (k8s:pkg/controller/serviceaccount/serviceaccounts_controller.go)
# and the ServiceAccount admission plugin (k8s:plugin/pkg/admission/serviceaccount/admission.go) handle them: every
# active namespace has a `default` account, a pod that names none runs as `default`, and a pod naming an account
# that does not exist is refused.
@epic:workloads @feature:service-accounts
Feature: Pods run as a service account
  The security team grants permissions to service accounts, so every pod must run as one, and a pod that names
  an account nobody created must not start under some other identity.

  Rule: every namespace has a default service account

    Scenario: the namespaces of a fresh cluster have one
      Then namespace "default" has the service account "default"
      And namespace "kube-system" has the service account "default"
      And namespace "kube-public" has the service account "default"
      And namespace "kube-node-lease" has the service account "default"

    Scenario: a new namespace gets one
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: payments}
        """
      And the cluster reconciles
      Then namespace "payments" has the service account "default"

    Scenario: a deleted default account is created again
      When I delete serviceaccount "default"
      And the cluster reconciles
      Then namespace "default" has the service account "default"

  Rule: a pod runs as the account it names, or as default

    @severity:critical
    Scenario: a pod that names no account runs as default
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then pod "web" uses service account "default"
      And pod "web" has these fields:
        | field                   | value   |
        | spec.serviceAccountName | default |
        | spec.serviceAccount     | default |

    Scenario: a pod in a namespace created by the same file is admitted
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: payments}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: payments}
        spec:
          containers: [{name: app, image: payments-api:3.2}]
        """
      Then pod "payments/api" uses service account "default"

    Scenario: a pod runs as the account it names
      When I apply the manifests:
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: builder}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: build}
        spec:
          serviceAccountName: builder
          containers: [{name: kaniko, image: kaniko:1.23}]
        """
      Then pod "build" uses service account "builder"

    @severity:critical
    Scenario: a pod naming an account nobody created is refused
      Given the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        """
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: prod}
        spec:
          serviceAccountName: builder
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Pod prod/web): pods "web" is forbidden: error looking up service account prod/builder: serviceaccount "builder" not found
        """
      And nothing of the refused manifests was applied

    Scenario: a pod gets the image pull secrets of its account
      When I apply the manifests:
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: deployer}
        imagePullSecrets: [{name: registry-credentials}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          serviceAccountName: deployer
          containers: [{name: app, image: registry.example.com/web:1.4}]
        """
      Then pod "web" has these fields:
        | field                 | value                             |
        | spec.imagePullSecrets | [{"name":"registry-credentials"}] |
