# `kubectl apply` on an object that exists (k8s:staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go): a three-way
# merge of the last-applied-configuration annotation, the manifest and the live object
# (k8s:staging/src/k8s.io/apimachinery/pkg/util/strategicpatch), then the pod update rules of
# k8s:pkg/apis/core/validation/validation.go ValidatePodUpdate. `kubectl create` of an existing object would
# answer `pods "web" already exists`; apply updates instead.
@epic:api @feature:apply
Feature: Applying manifests again
  Pipelines apply the same manifests over and over. Applying an unchanged manifest must change nothing,
  a new label must reach the running pod without disturbing it, and a change a running pod cannot take must
  be refused the way the API server refuses it.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        labels: {app: web, tier: frontend}
      spec:
        containers:
          - name: app
            image: nginx:1.27
            resources:
              requests: {cpu: 250m, memory: 64Mi}
      """
    And the cluster reconciles

  Rule: an unchanged manifest changes nothing

    @severity:critical
    Scenario: the same manifest applied again
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web, tier: frontend}
        spec:
          containers:
            - name: app
              image: nginx:1.27
              resources:
                requests: {cpu: 250m, memory: 64Mi}
        """
      Then pod "web" has these fields:
        | field                   | value                        |
        | metadata.generation     | 1                            |
        | spec.nodeName           | n1                           |
        | spec.priority           | 0                            |
        | spec.tolerations[0].key | node.kubernetes.io/not-ready |
        | status.phase            | Running                      |

  Rule: labels and images may change on a running pod

    Scenario: a label added and a label dropped
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web, release: stable}
        spec:
          containers:
            - name: app
              image: nginx:1.27
              resources:
                requests: {cpu: 250m, memory: 64Mi}
        """
      Then pod "web" has these fields:
        | field               | value                            |
        | metadata.labels     | {"app":"web","release":"stable"} |
        | metadata.generation | 1                                |
        | spec.nodeName       | n1                               |
        | status.phase        | Running                          |

    Scenario: a new image is a new generation of the pod
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web, tier: frontend}
        spec:
          containers:
            - name: app
              image: nginx:1.28
              resources:
                requests: {cpu: 250m, memory: 64Mi}
        """
      Then pod "web" has these fields:
        | field                    | value      |
        | spec.containers[0].image | nginx:1.28 |
        | metadata.generation      | 2          |
        | spec.nodeName            | n1         |

  Rule: other changes to a pod's spec are refused

    @severity:critical
    Scenario: more CPU for a running pod
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web, tier: frontend}
        spec:
          containers:
            - name: app
              image: nginx:1.27
              resources:
                requests: {cpu: 500m, memory: 64Mi}
        """
      Then the manifests are refused with:
        """
        manifests:6: document 1 (Pod default/web): The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
        """
      And pod "web" has these fields:
        | field                                     | value |
        | spec.containers[0].resources.requests.cpu | 250m  |

    Scenario: a second container
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web, tier: frontend}
        spec:
          containers:
            - name: app
              image: nginx:1.27
              resources:
                requests: {cpu: 250m, memory: 64Mi}
            - name: sidecar
              image: envoy:1.31
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (Pod default/web): The Pod "web" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers
        """
