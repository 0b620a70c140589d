# Deployments as kube-controller-manager's Deployment controller runs them (k8s:pkg/controller/deployment/):
# one ReplicaSet per pod template, named after the template's hash; rolling updates paced by maxSurge and
# maxUnavailable (the `deployment.rollout` rules), Recreate, proportional scaling, revisions and rollback,
# the revision history limit, and the Available and Progressing conditions with the progress deadline.
# kubespec's pod-template-hash is FNV-32a like Kubernetes', but over the template's JSON rather than Go's
# dump of the struct, so the ReplicaSet names below have the real shape but not a real cluster's characters.
@epic:workloads @feature:deployments
Feature: Deployments roll out new versions without taking the service down
  The web team ships several times a day. They need to know how many pods run during a rollout, how many stay
  available, how long it takes when new pods are slow to become ready, what happens when a new version never
  becomes ready, and how to go back.

  Rule: a Deployment runs its pods through a ReplicaSet named after its pod template

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |

    @severity:critical
    Scenario: a new Deployment gets one ReplicaSet, its pods, and reports them available
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles
      Then 3 pods matching "app=web" are running
      And deployment "web" has 3 available replicas
      And the rollout of deployment "web" is complete
      And the replica sets of deployment "web" are:
        | name           | revision | desired | current | ready |
        | web-7f495676cd | 1        | 3       | 3       | 3     |
      And the events of deployment "web" were:
        | time | type   | reason            | message                                           |
        | +0s  | Normal | ScalingReplicaSet | Scaled up replica set web-7f495676cd from 0 to 3 |
      And deployment "web" has these fields:
        | field                                                | value                                                 |
        | metadata.annotations[deployment.kubernetes.io/revision] | 1                                                  |
        | status.observedGeneration                            | 1                                                     |
        | status.replicas                                      | 3                                                     |
        | status.updatedReplicas                               | 3                                                     |
        | status.readyReplicas                                 | 3                                                     |
        | status.availableReplicas                             | 3                                                     |
        | status.unavailableReplicas                           | <none>                                                |
        | status.terminatingReplicas                           | 0                                                     |
        | status.conditions[0].type                            | Available                                             |
        | status.conditions[0].reason                          | MinimumReplicasAvailable                              |
        | status.conditions[0].message                         | Deployment has minimum availability.                  |
        | status.conditions[1].type                            | Progressing                                           |
        | status.conditions[1].reason                          | NewReplicaSetAvailable                                |
        | status.conditions[1].message                         | ReplicaSet "web-7f495676cd" has successfully progressed. |
      And replicaset "web-7f495676cd" has these fields:
        | field                                                       | value          |
        | metadata.labels[pod-template-hash]                          | 7f495676cd     |
        | spec.selector.matchLabels[pod-template-hash]                | 7f495676cd     |
        | metadata.annotations[deployment.kubernetes.io/desired-replicas] | 3          |
        | metadata.annotations[deployment.kubernetes.io/max-replicas] | 4              |
        | metadata.ownerReferences[0].kind                            | Deployment     |
        | metadata.ownerReferences[0].name                            | web            |
        | metadata.ownerReferences[0].controller                      | true           |
        | metadata.ownerReferences[0].blockOwnerDeletion              | true           |

    Scenario: until its pods are ready the Deployment lacks minimum availability, and kubectl keeps waiting
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles
      Then the rollout status of deployment "web" is "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available..."
      And deployment "web" has these fields:
        | field                        | value                                          |
        | status.replicas              | 3                                              |
        | status.unavailableReplicas   | 3                                              |
        | status.conditions[0].type    | Available                                      |
        | status.conditions[0].status  | False                                          |
        | status.conditions[0].reason  | MinimumReplicasUnavailable                     |
        | status.conditions[0].message | Deployment does not have minimum availability. |
        | status.conditions[1].type    | Progressing                                    |
        | status.conditions[1].status  | True                                           |
        | status.conditions[1].reason  | ReplicaSetUpdated                              |
        | status.conditions[1].message | ReplicaSet "web-5656c74875" is progressing.    |
      When 10 seconds pass
      Then the rollout of deployment "web" is complete
      And deployment "web" has these fields:
        | field                       | value                    |
        | status.conditions[0].type   | Available                |
        | status.conditions[0].status | True                     |
        | status.conditions[1].type   | Progressing              |
        | status.conditions[1].reason | NewReplicaSetAvailable   |

    Scenario: kubectl set image names a container the template must have
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      When I try to set the image of container "nginx" of deployment "web" to "nginx:1.27"
      Then it is refused with:
        """
        unable to find container named "nginx"
        """
      And deployment "web" has these fields:
        | field                                  | value      |
        | spec.template.spec.containers[0].image | nginx:1.26 |
        | metadata.generation                    | 1          |

  Rule: a rolling update moves the replicas over step by step, within maxSurge and maxUnavailable

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |
      And the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 10
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And 10 seconds pass

    @severity:critical
    Scenario: with the defaults (25% surge, 25% unavailable) ten replicas move over in three steps
      When I watch pods matching "app=web"
      And I set the image of deployment "web" to "nginx:1.27"
      And the cluster reconciles
      Then the replica sets of deployment "web" are:
        | revision | desired | current | ready |
        | 2        | 5       | 5       | 0     |
        | 1        | 8       | 8       | 8     |
      And the rollout status of deployment "web" is "Waiting for deployment \"web\" rollout to finish: 5 out of 10 new replicas have been updated..."
      When 10 seconds pass
      Then the replica sets of deployment "web" are:
        | revision | desired | current | ready |
        | 2        | 10      | 10      | 5     |
        | 1        | 3       | 3       | 3     |
      And the rollout status of deployment "web" is "Waiting for deployment \"web\" rollout to finish: 3 old replicas are pending termination..."
      And the new replica set of deployment "web" has 5 ready replicas
      When 10 seconds pass
      Then the replica sets of deployment "web" are:
        | revision | desired | current | ready |
        | 2        | 10      | 10      | 10    |
        | 1        | 0       | 0       | 0     |
      And the rollout of deployment "web" is complete
      And deployment "web" scaled its replica sets as follows:
        | time | revision | from | to |
        | +0s  | 1        | 0    | 10 |
        | +10s | 2        | 0    | 3  |
        | +10s | 1        | 10   | 8  |
        | +10s | 2        | 3    | 5  |
        | +20s | 1        | 8    | 3  |
        | +20s | 2        | 5    | 10 |
        | +30s | 1        | 3    | 0  |
      And at least 8 watched pods were available at all times
      And at most 13 watched pods existed at once, not counting terminating pods
      And at most 15 watched pods existed at once

    # maxSurge counts replicas, not pods: the controller scales the new ReplicaSet up as soon as the old one is
    # scaled down, while the old pods are still shutting down (KEP-3973 is about exactly this).
    Scenario: pods that are still terminating come on top of maxSurge
      When I watch pods matching "app=web"
      And I set the image of deployment "web" to "nginx:1.27"
      And 20 seconds pass
      Then at the peak 15 watched pods existed at once
      And at most 13 watched pods existed at once, not counting terminating pods
      And deployment "web" has these fields:
        | field                      | value |
        | status.replicas            | 10    |
        | status.terminatingReplicas | 0     |

    Scenario Outline: the first step of a rollout of <replicas> replicas with maxSurge <surge> and maxUnavailable <unavailable>
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: <replicas>
          selector: {matchLabels: {app: web}}
          strategy:
            rollingUpdate: {maxSurge: <surge>, maxUnavailable: <unavailable>}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And 10 seconds pass
      And I set the image of deployment "web" to "nginx:1.27"
      And the cluster reconciles
      Then the replica sets of deployment "web" are:
        | revision | desired |
        | 2        | <new>   |
        | 1        | <old>   |

      Examples: ResolveFenceposts rounds maxSurge up and maxUnavailable down, and makes 0 and 0 into 0 and 1
        | replicas | surge | unavailable | new | old |
        | 10       | 25%   | 25%         | 5   | 8   |
        | 4        | 25%   | 25%         | 2   | 3   |
        | 3        | 25%   | 25%         | 1   | 3   |
        | 1        | 25%   | 25%         | 1   | 1   |
        | 10       | 0     | 1           | 1   | 9   |
        | 10       | 100%  | 0           | 10  | 10  |
        | 2        | 0%    | 1%          | 1   | 1   |

  Rule: Recreate stops every old pod before the first new one starts

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |

    Scenario: the new ReplicaSet is created only once the old pods are gone
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: worker}
        spec:
          replicas: 3
          strategy: {type: Recreate}
          selector: {matchLabels: {app: worker}}
          template:
            metadata:
              labels: {app: worker}
              annotations: {kubespec.io/shutdown-after: 15s}
            spec:
              containers: [{name: app, image: "worker:1"}]
        """
      And the cluster reconciles
      When I set the image of deployment "worker" to "worker:2"
      And the cluster reconciles
      Then the replica sets of deployment "worker" are:
        | revision | desired | current |
        | 1        | 0       | 0       |
      And there are 3 pods matching "app=worker"
      And 0 pods matching "app=worker" are running
      When 15 seconds pass
      Then the replica sets of deployment "worker" are:
        | revision | desired | current | ready |
        | 2        | 3       | 3       | 3     |
        | 1        | 0       | 0       | 0     |
      And 3 pods matching "app=worker" are running
      And deployment "worker" scaled its replica sets as follows:
        | time | revision | from | to |
        | +0s  | 1        | 0    | 3  |
        | +0s  | 1        | 3    | 0  |
        | +15s | 2        | 0    | 3  |

  Rule: kubectl rollout undo brings back the previous template, and its ReplicaSet with it

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |
      And the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles

    Scenario: undoing an update reuses the old ReplicaSet, which becomes revision 3
      Given I set the image of deployment "web" to "nginx:1.27"
      And the cluster reconciles
      When I undo the rollout of deployment "web"
      And the cluster reconciles
      Then the rollout of deployment "web" is complete
      And deployment "web" has 2 replica sets
      And the replica sets of deployment "web" are:
        | revision | desired | ready |
        | 3        | 3       | 3     |
        | 2        | 0       | 0     |
      And deployment "web" has these fields:
        | field                                                   | value      |
        | spec.template.spec.containers[0].image                  | nginx:1.26 |
        | metadata.annotations[deployment.kubernetes.io/revision] | 3          |
        | metadata.generation                                     | 3          |
      And replicaset "web-7f495676cd" has these fields:
        | field                                                            | value |
        | metadata.annotations[deployment.kubernetes.io/revision]          | 3     |
        | metadata.annotations[deployment.kubernetes.io/revision-history]  | 1     |

    Scenario: there is nothing to undo before the first update
      When I try to undo the rollout of deployment "web"
      Then it is refused with:
        """
        no rollout history found for deployment "web"
        """

  Rule: a rollout that makes no progress for progressDeadlineSeconds is reported as failed, not rolled back

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |

    Scenario: a new version that never becomes ready exceeds its progress deadline
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          progressDeadlineSeconds: 60
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          progressDeadlineSeconds: 60
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 1h}
            spec:
              containers: [{name: app, image: "nginx:1.27"}]
        """
      And 60 seconds pass
      Then deployment "web" has these fields:
        | field                        | value                                        |
        | status.conditions[1].type    | Progressing                                  |
        | status.conditions[1].status  | True                                         |
        | status.conditions[1].reason  | ReplicaSetUpdated                            |
      When 1 second passes
      Then deployment "web" has these fields:
        | field                        | value                                                 |
        | status.conditions[1].type    | Progressing                                           |
        | status.conditions[1].status  | False                                                 |
        | status.conditions[1].reason  | ProgressDeadlineExceeded                              |
        | status.conditions[1].message | ReplicaSet "web-c7d4988c7" has timed out progressing.  |
      And the rollout status of deployment "web" is "error: deployment \"web\" exceeded its progress deadline"
      And the replica sets of deployment "web" are:
        | revision | desired | ready |
        | 2        | 2       | 0     |
        | 1        | 3       | 3     |
      And deployment "web" has 3 available replicas

  Rule: scaling during a rollout spreads the new replicas over the ReplicaSets in proportion

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |

    Scenario: scaling from 10 to 20 in the middle of a stuck rollout keeps the ratio of old to new
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 10
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles
      And I apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 10
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 1h}
            spec:
              containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      When I scale deployment "web" to 20 replicas
      And the cluster reconciles
      Then the replica sets of deployment "web" are:
        | revision | desired | current |
        | 2        | 10      | 10      |
        | 1        | 15      | 15      |
      And deployment "web" scaled its replica sets as follows:
        | revision | from | to |
        | 1        | 0    | 10 |
        | 2        | 0    | 3  |
        | 1        | 10   | 8  |
        | 2        | 3    | 5  |
        | 1        | 8    | 15 |
        | 2        | 5    | 10 |

  Rule: old ReplicaSets beyond revisionHistoryLimit are deleted once they are empty

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |

    Scenario: with a history of one, the oldest of three revisions goes
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          revisionHistoryLimit: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.25"}]
        """
      And the cluster reconciles
      When I set the image of deployment "web" to "nginx:1.26"
      And the cluster reconciles
      And I set the image of deployment "web" to "nginx:1.27"
      And the cluster reconciles
      Then the replica sets of deployment "web" are:
        | revision | desired | current |
        | 3        | 2       | 2       |
        | 2        | 0       | 0       |

  Rule: when a rollout step may proceed is policy (rules/deployment.rollout)

    Background:
      Given the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
        | n2   | 16  | 64Gi   |
        | n3   | 16  | 64Gi   |

    Scenario: a blue/green policy keeps every old pod until the new ReplicaSet is fully available
      Given the rule set:
        """
        apiVersion: kubespec.io/v1
        kind: RuleSet
        metadata:
          name: rolling-update
          description: Blue/green through a rolling update - the old ReplicaSets go only once the new one is all available.
        spec:
          decisionPoint: deployment.rollout
          rules:
            - name: grow-new-within-surge
              conditions:
                all:
                  - { fact: newReplicas, operator: lessThan, value: { fact: desiredReplicas } }
              event:
                type: scaleNewReplicaSet
                params: { to: { fact: newReplicasWithinSurge } }
            - name: drop-old-once-new-is-available
              conditions:
                all:
                  - { fact: oldReplicas, operator: greaterThan, value: 0 }
                  - { fact: newAvailableReplicas, operator: equal, value: { fact: desiredReplicas } }
              event:
                type: scaleDownOld
                params: { by: { fact: oldReplicas } }
        """
      And the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          strategy:
            rollingUpdate: {maxSurge: 100%, maxUnavailable: 0}
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And 10 seconds pass
      When I set the image of deployment "web" to "nginx:1.27"
      And the cluster reconciles
      Then the replica sets of deployment "web" are:
        | revision | desired | ready |
        | 2        | 4       | 0     |
        | 1        | 4       | 4     |
      When 10 seconds pass
      Then the replica sets of deployment "web" are:
        | revision | desired | ready |
        | 2        | 4       | 4     |
        | 1        | 0       | 0     |

  Rule: the API server refuses Deployments it cannot run, in the cluster version's words

    Scenario: a Deployment without a selector is refused twice over
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (Deployment default/web): The Deployment "web" is invalid: spec.selector: Required value
        manifests:6: document 1 (Deployment default/web): The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`
        """

    Scenario: maxSurge and maxUnavailable may not both be 0
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          strategy:
            rollingUpdate: {maxSurge: 0, maxUnavailable: 0}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (Deployment default/web): The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0
        """

    Scenario: Kubernetes v1.33 prints the refused value as a Go struct
      Given a Kubernetes v1.33 cluster
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          strategy:
            rollingUpdate: {maxSurge: 0, maxUnavailable: 0}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (Deployment default/web): The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0
        """

  Rule: Kubernetes v1.35 also counts the terminating pods of a Deployment

    Scenario Outline: status.terminatingReplicas on <version>
      Given a Kubernetes <version> cluster
      And the nodes:
        | name | cpu | memory |
        | n1   | 16  | 64Gi   |
      And the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/shutdown-after: 30s}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles
      When I scale deployment "web" to 1 replica
      And the cluster reconciles
      Then deployment "web" has these fields:
        | field                      | value         |
        | status.replicas            | 1             |
        | status.terminatingReplicas | <terminating> |

      Examples:
        | version | terminating |
        | v1.33   | <none>      |
        | v1.35   | 1           |
