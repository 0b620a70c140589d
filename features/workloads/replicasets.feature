# ReplicaSets and ReplicationControllers as kube-controller-manager runs them, both with
# k8s:pkg/controller/replicaset/replica_set.go: pods named `<set>-<5 random characters>` with a controller
# ownerReference, created in slow-start batches, replaced when they go, adopted when they are orphans the selector
# matches and released when their labels stop matching; surplus pods deleted in the order of
# rules/replicaset.scale-down (ActivePodsWithRanks); and the status the controller writes.
@epic:workloads @feature:replicasets
Feature: ReplicaSets keep a number of identical pods running
  The platform team runs stateless services through ReplicaSets (mostly via Deployments). They need to know which
  pods a ReplicaSet takes over, which ones it lets go, and which ones it deletes first when it shrinks — the pods
  with a costly cache warm-up should be the last to go.

  Rule: a ReplicaSet creates the pods it lacks and reports them in its status

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 8   | 32Gi   |
        | n2   | 8   | 32Gi   |

    @severity:critical
    Scenario: three replicas are created, owned and counted
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, tier: frontend}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then 3 pods matching "app=web" are running
      And the events of replicaset "web" were:
        | time | type   | reason           | message                |
        | +0s  | Normal | SuccessfulCreate | Created pod: web-c5rnc |
        | +0s  | Normal | SuccessfulCreate | Created pod: web-vkhf4 |
        | +0s  | Normal | SuccessfulCreate | Created pod: web-rp9jp |
      And pod "web-c5rnc" is controlled by replicaset "web"
      And replicaset "web" has these fields:
        | field                       | value |
        | status.replicas             | 3     |
        | status.fullyLabeledReplicas | 3     |
        | status.readyReplicas        | 3     |
        | status.availableReplicas    | 3     |
        | status.terminatingReplicas  | 0     |
        | status.observedGeneration   | 1     |

    Scenario: a pod that is deleted is replaced at once, while it is still shutting down
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/shutdown-after: 20s}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I delete pod "web-c5rnc"
      And the cluster reconciles
      Then 2 pods matching "app=web" are running
      And there are 3 pods matching "app=web"
      And pod "web-c5rnc" is terminating
      And the events of replicaset "web" end with:
        | reason           | message                |
        | SuccessfulCreate | Created pod: web-rp9jp |
      And replicaset "web" has these fields:
        | field                      | value |
        | status.replicas            | 2     |
        | status.terminatingReplicas | 1     |

    # The three pods are equal on every criterion of rules/replicaset.scale-down but their UIDs, which the seeded
    # generator draws.
    Scenario: scaling down deletes the surplus pods, scaling up creates new ones
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I scale replicaset "web" to 1 replica
      And the cluster reconciles
      Then 1 pod matching "app=web" is running
      And the events of replicaset "web" end with:
        | reason           | message                |
        | SuccessfulDelete | Deleted pod: web-vkhf4 |
        | SuccessfulDelete | Deleted pod: web-rp9jp |
      And replicaset "web" has these fields:
        | field                     | value |
        | metadata.generation       | 2     |
        | status.observedGeneration | 2     |
      When I scale replicaset "web" to 2 replicas
      And the cluster reconciles
      Then 2 pods matching "app=web" are running

    Scenario: a ready pod counts as available only after minReadySeconds
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 2
          minReadySeconds: 30
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then replicaset "web" has these fields:
        | field                    | value  |
        | status.readyReplicas     | 2      |
        | status.availableReplicas | <none> |
      When 29 seconds pass
      Then replicaset "web" has these fields:
        | field                    | value  |
        | status.availableReplicas | <none> |
      When 1 second passes
      Then replicaset "web" has these fields:
        | field                    | value |
        | status.availableReplicas | 2     |

    Scenario: pods the API server refuses are retried, one at a time, with the failure in the status
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 5
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              priorityClassName: gold
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then there are 0 pods matching "app=web"
      And the events include:
        | type    | reason       | object         | message                                                                            |
        | Warning | FailedCreate | replicaset/web | Error creating: pods "web-" is forbidden: no PriorityClass with name gold was found |
      And replicaset "web" has these fields:
        | field                        | value                                                         |
        | status.replicas              | 0                                                             |
        | status.conditions[0].type    | ReplicaFailure                                                |
        | status.conditions[0].status  | True                                                          |
        | status.conditions[0].reason  | FailedCreate                                                  |
        | status.conditions[0].message | pods "web-" is forbidden: no PriorityClass with name gold was found |
      When I apply the manifests:
        """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: gold}
        value: 1000
        """
      And 2 seconds pass
      Then 5 pods matching "app=web" are running
      And replicaset "web" has these fields:
        | field             | value  |
        | status.conditions | <none> |

  Rule: a ReplicaSet adopts the orphans its selector matches and releases the pods it no longer selects

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 8   | 32Gi   |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          labels: {app: web}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-2
          labels: {app: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles

    Scenario: matching pods without a controller are adopted and count towards the replicas
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web-1" is controlled by replicaset "web"
      And pod "web-2" is controlled by replicaset "web"
      And 3 pods matching "app=web" are running
      And the events of replicaset "web" were:
        | reason           | message                |
        | SuccessfulCreate | Created pod: web-c5rnc |

    Scenario: a pod relabelled out of the selector is released and replaced
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      When I label pod "web-1" with "app=debug"
      And the cluster reconciles
      Then pod "web-1" has no controller
      And pod "web-1" has phase "Running"
      And 2 pods matching "app=web" are running
      And the events of replicaset "web" were:
        | reason           | message                |
        | SuccessfulCreate | Created pod: web-c5rnc |

    Scenario: pods another controller owns are left alone even when the selector matches them
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: canary}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:canary"}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then pod "web-1" is controlled by replicaset "canary"
      And pod "web-2" is controlled by replicaset "canary"
      And 3 pods matching "app=web" are running
      And replicaset "web" has these fields:
        | field           | value |
        | status.replicas | 1     |

  Rule: surplus pods are deleted in Kubernetes' order, which rules/replicaset.scale-down defines

    Background:
      Given the nodes:
        | name | cpu | memory | labels    |
        | n1   | 8   | 32Gi   | disk=ssd  |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-unscheduled
          labels: {app: web}
        spec:
          nodeSelector: {disk: nvme}
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-not-ready
          labels: {app: web}
          annotations: {kubespec.io/ready-after: 1h}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-cheap
          labels: {app: web}
          annotations: {controller.kubernetes.io/pod-deletion-cost: "-100"}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-warm-cache
          labels: {app: web, track: canary}
          annotations: {controller.kubernetes.io/pod-deletion-cost: "1000"}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles

    @severity:critical
    Scenario: unscheduled first, then not ready, then the lowest deletion cost
      When I scale replicaset "web" to 3 replicas
      And the cluster reconciles
      Then pod "web-unscheduled" no longer exists
      When I scale replicaset "web" to 2 replicas
      And the cluster reconciles
      Then pod "web-not-ready" no longer exists
      When I scale replicaset "web" to 1 replica
      And the cluster reconciles
      Then pod "web-cheap" no longer exists
      And pod "web-warm-cache" is controlled by replicaset "web"
      And the events of replicaset "web" were:
        | reason           | message                      |
        | SuccessfulDelete | Deleted pod: web-unscheduled |
        | SuccessfulDelete | Deleted pod: web-not-ready   |
        | SuccessfulDelete | Deleted pod: web-cheap       |

    Scenario: a policy that deletes canary pods first, whatever their deletion cost
      Given the rule set:
        """
        apiVersion: kubespec.io/v1
        kind: RuleSet
        metadata:
          name: active-pods-with-ranks
          description: Canaries go first; then Kubernetes' criteria.
        spec:
          decisionPoint: replicaset.scale-down
          rules:
            - name: canary-first
              conditions:
                all:
                  - { fact: label, params: { key: track }, operator: equal, value: canary }
              event:
                type: sortKey
                params: { position: 1, value: 0, order: ascending }
            - name: then-the-others
              conditions:
                all:
                  - { fact: label, params: { key: track }, operator: notEqual, value: canary }
              event:
                type: sortKey
                params: { position: 1, value: 1, order: ascending }
            - name: unscheduled-first
              conditions: { all: [] }
              event:
                type: sortKey
                params: { position: 2, value: { fact: scheduled }, order: ascending }
            - name: lower-deletion-cost-first
              conditions: { all: [] }
              event:
                type: sortKey
                params: { position: 3, value: { fact: deletionCost }, order: ascending }
        """
      When I scale replicaset "web" to 3 replicas
      And the cluster reconciles
      Then pod "web-warm-cache" no longer exists
      And pod "web-unscheduled" is controlled by replicaset "web"

  Rule: a ReplicationController is a ReplicaSet with a plain selector and its own controller name

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 8   | 32Gi   |

    Scenario: the selector and labels default to the template's labels
      When I apply the manifests:
        """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: legacy}
        spec:
          replicas: 1
          template:
            metadata: {labels: {app: legacy}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then 1 pod matching "app=legacy" is running
      And replicationcontroller "legacy" has these fields:
        | field                     | value          |
        | spec.selector             | {"app":"legacy"} |
        | metadata.labels           | {"app":"legacy"} |
        | status.replicas           | 1              |
        | status.readyReplicas      | 1              |
        | status.terminatingReplicas | <none>        |
      And the "SuccessfulCreate" event of replicationcontroller "legacy" has these fields:
        | field            | value                     |
        | source.component | replication-controller    |
        | message          | Created pod: legacy-c5rnc |

  Rule: the API server refuses sets whose selector does not match their template, in the cluster version's words

    Scenario Outline: a selector that does not select the template's labels on <version>
      Given a Kubernetes <version> cluster
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: x}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:8: document 1 (ReplicaSet default/web): The ReplicaSet "web" is invalid: spec.template.metadata.labels: Invalid value: <value>: `selector` does not match template `labels`
        """

      Examples:
        | version | value                        |
        | v1.33   | map[string]string{"app":"x"} |
        | v1.35   | {"app":"x"}                  |

    Scenario: a ReplicaSet's pods must be restarted, never left finished
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              restartPolicy: OnFailure
              containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:9: document 1 (ReplicaSet default/web): The ReplicaSet "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"
        """

    Scenario: the selector of a ReplicaSet cannot change
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, tier: frontend}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web, tier: frontend}}
          template:
            metadata: {labels: {app: web, tier: frontend}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (ReplicaSet default/web): The ReplicaSet "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"frontend"}}: field is immutable
        """
