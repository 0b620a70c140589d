# Namespaces as the API server keeps them: the four a cluster starts with, the name label and finalizer every
# namespace gets (k8s:pkg/apis/core/v1/defaults.go SetDefaults_Namespace, k8s:pkg/registry/core/namespace/strategy.go),
# and the NamespaceLifecycle admission plugin
# (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go).
@epic:api @feature:namespaces
Feature: Namespaces
  Teams get their own namespaces. A manifest for a namespace nobody created is refused rather than creating
  it silently, the system namespaces cannot be deleted by mistake, and a namespace on its way out takes no
  new workloads.

  Rule: a new cluster has the four standard namespaces

    Scenario: the namespaces of a fresh cluster
      Then the namespaces are:
        | name            | status |
        | default         | Active |
        | kube-node-lease | Active |
        | kube-public     | Active |
        | kube-system     | Active |
      And namespace "kube-system" has these fields:
        | field                                        | value          |
        | metadata.labels[kubernetes.io/metadata.name] | kube-system    |
        | spec.finalizers                              | ["kubernetes"] |

  Rule: objects go into a namespace that exists

    @severity:critical
    Scenario: a pod for a namespace nobody created is refused
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: prod
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Pod prod/web): namespaces "prod" not found
        """
      And nothing of the refused manifests was applied

    Scenario: the namespace and its pod in one file
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: prod}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then pod "prod/web" has phase "Pending"
      And namespace "prod" has these fields:
        | field                                        | value          |
        | metadata.labels[kubernetes.io/metadata.name] | prod           |
        | spec.finalizers                              | ["kubernetes"] |
        | status.phase                                 | Active         |

    Scenario: a pod without a namespace goes to default
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then pod "default/web" has these fields:
        | field              | value   |
        | metadata.namespace | default |

  Rule: the system namespaces cannot be deleted

    Scenario Outline: deleting <namespace> is forbidden
      When I try to delete namespace "<namespace>"
      Then it is refused with:
        """
        namespaces "<namespace>" is forbidden: this namespace may not be deleted
        """

      Examples:
        | namespace   |
        | default     |
        | kube-system |
        | kube-public |

  Rule: a namespace being deleted takes no new content

    Scenario: a deleted namespace is Terminating and refuses new pods
      Given the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: staging}
        """
      When I delete namespace "staging"
      And I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: staging}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:3: document 1 (Pod staging/web): pods "web" is forbidden: unable to create new content in namespace staging because it is being terminated
        """
      And namespace "staging" has these fields:
        | field        | value       |
        | status.phase | Terminating |
