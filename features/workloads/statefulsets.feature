# StatefulSets as the StatefulSet controller runs them (k8s:pkg/controller/statefulset/stateful_set_control.go,
# stateful_pod_control.go, stateful_set_utils.go): stable pod names and claims per ordinal, ordered creation and
# removal, rolling updates from the highest ordinal down to the partition, and the adoption of orphans named after
# an ordinal (stateful_set.go getPodsForStatefulSet with isMemberOf).
@epic:workloads @feature:statefulsets
Feature: StatefulSets give each replica a stable identity, its own storage and an order
  The database team runs Postgres replicas that must come up one after another, each with its own volume, and that
  must be updated one at a time from the last replica down. Before changing the manifest of a production database
  they want to know exactly which pod goes first, which claims stay behind, and what a bad manifest is told.

  Background:
    Given the nodes:
      | name   | cpu | memory |
      | node-a | 8   | 32Gi   |
      | node-b | 8   | 32Gi   |

  Rule: with OrderedReady, each pod is created once the one before it is Running and Ready

    @severity:critical
    Scenario: replicas come up in ordinal order, each after its predecessor became ready
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata:
              labels: {app: db}
              annotations: {kubespec.io/ready-after: 10s}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And the cluster reconciles
      Then the pods of statefulset "db" are "db-0"
      When 30 seconds pass
      Then the pods of statefulset "db" are "db-0, db-1, db-2"
      And pods "db-0, db-1, db-2" were created in that order
      And the events of statefulset "db" were:
        | time | type   | reason           | message                                        |
        | +0s  | Normal | SuccessfulCreate | create Pod db-0 in StatefulSet db successful |
        | +10s | Normal | SuccessfulCreate | create Pod db-1 in StatefulSet db successful |
        | +20s | Normal | SuccessfulCreate | create Pod db-2 in StatefulSet db successful |
      And statefulset "db" has these fields:
        | field                | value |
        | status.replicas      | 3     |
        | status.readyReplicas | 3     |

    Scenario: a replica that never becomes ready halts the creation of the next ones
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata:
              labels: {app: db}
              annotations: {kubespec.io/ready-after: 1h}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And 5 minutes pass
      Then the pods of statefulset "db" are "db-0"
      And pod "db-0" is not ready
      And statefulset "db" has these fields:
        | field                | value  |
        | status.replicas      | 1      |
        | status.readyReplicas | <none> |

    Scenario: each pod carries its identity and is named in the governing Service's domain
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: nginx
          replicas: 2
          selector: {matchLabels: {app: nginx}}
          template:
            metadata: {labels: {app: nginx}}
            spec:
              containers: [{name: nginx, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      Then pod "web-1" has these fields:
        | field                                                 | value         |
        | metadata.generateName                                 | web-          |
        | metadata.labels[statefulset.kubernetes.io/pod-name]   | web-1         |
        | metadata.labels[apps.kubernetes.io/pod-index]         | 1             |
        | spec.hostname                                         | web-1         |
        | spec.subdomain                                        | nginx         |
        | metadata.ownerReferences[0].kind                      | StatefulSet   |

  Rule: with Parallel, pods are created and removed all at once

    Scenario: all replicas are created together, ready or not
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          podManagementPolicy: Parallel
          selector: {matchLabels: {app: db}}
          template:
            metadata:
              labels: {app: db}
              annotations: {kubespec.io/ready-after: 1h}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And the cluster reconciles
      Then the pods of statefulset "db" are "db-0, db-1, db-2"
      And pods "db-0, db-1, db-2" were created in that order

    Scenario: scaling down terminates the surplus replicas together
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          podManagementPolicy: Parallel
          selector: {matchLabels: {app: db}}
          template:
            metadata:
              labels: {app: db}
              annotations: {kubespec.io/shutdown-after: 20s}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And the cluster reconciles
      When I scale statefulset "db" to 1 replica
      And the cluster reconciles
      Then pod "db-1" is terminating
      And pod "db-2" is terminating

  Rule: scaling down removes the highest ordinal first, each after its successor is fully gone

    Scenario: OrderedReady scale-down waits for each pod to terminate
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata:
              labels: {app: db}
              annotations: {kubespec.io/shutdown-after: 20s}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And the cluster reconciles
      When I scale statefulset "db" to 1 replica
      And the cluster reconciles
      Then pod "db-2" is terminating
      And pod "db-1" has phase "Running"
      When 20 seconds pass
      Then pod "db-2" no longer exists
      And pod "db-1" is terminating
      When 20 seconds pass
      Then the pods of statefulset "db" are "db-0"
      And the events of statefulset "db" end with:
        | time | reason           | message                                        |
        | +0s  | SuccessfulDelete | delete Pod db-2 in StatefulSet db successful |
        | +20s | SuccessfulDelete | delete Pod db-1 in StatefulSet db successful |

  Rule: each ordinal gets its own claim, which outlives its pod

    Background:
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: standard
          annotations: {storageclass.kubernetes.io/is-default-class: "true"}
        provisioner: ebs.csi.aws.com
        """

    @severity:critical
    Scenario: every replica binds its own claim from the claim template
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
                - name: postgres
                  image: "postgres:16"
                  volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
          volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 10Gi}}
        """
      And the cluster reconciles
      Then claim "data-db-0" is bound
      And claim "data-db-1" is bound
      And pod "db-1" has these fields:
        | field                                        | value     |
        | spec.volumes[0].name                         | data      |
        | spec.volumes[0].persistentVolumeClaim.claimName | data-db-1 |
      And persistentvolumeclaim "data-db-1" has these fields:
        | field              | value          |
        | metadata.labels.app | db            |
        | spec.storageClassName | standard    |
      And the events of statefulset "db" were:
        | reason           | message                                                        |
        | SuccessfulCreate | create Claim data-db-0 Pod db-0 in StatefulSet db success      |
        | SuccessfulCreate | create Pod db-0 in StatefulSet db successful                   |
        | SuccessfulCreate | create Claim data-db-1 Pod db-1 in StatefulSet db success      |
        | SuccessfulCreate | create Pod db-1 in StatefulSet db successful                   |

    Scenario: a scaled-down replica's claim stays, and the replica gets it back when scaled up
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
          volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 10Gi}}
        """
      And the cluster reconciles
      When I scale statefulset "db" to 1 replica
      And 1 minute passes
      Then pod "db-1" no longer exists
      And claim "data-db-1" is bound
      When I scale statefulset "db" to 2 replicas
      And the cluster reconciles
      Then pod "db-1" has phase "Running"
      And pod "db-1" has these fields:
        | field                                           | value     |
        | spec.volumes[0].persistentVolumeClaim.claimName | data-db-1 |

    Scenario: a deleted replica comes back under the same name with the same claim
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
          volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 10Gi}}
        """
      And the cluster reconciles
      When I delete pod "db-0"
      And 1 minute passes
      Then pod "db-0" has phase "Running"
      And claim "data-db-0" exists
      And the events of statefulset "db" end with:
        | reason           | message                                        |
        | SuccessfulCreate | create Pod db-0 in StatefulSet db successful |

  Rule: a rolling update replaces pods from the highest ordinal down to the partition

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: nginx
          replicas: 3
          selector: {matchLabels: {app: nginx}}
          template:
            metadata:
              labels: {app: nginx}
              annotations: {kubespec.io/ready-after: 5s}
            spec:
              containers: [{name: nginx, image: "nginx:1.26"}]
        """
      And 1 minute passes

    @severity:critical
    Scenario: a new image rolls out from web-2 down to web-0, one ready pod at a time
      When I set the image of statefulset "web" to "nginx:1.27"
      And the cluster reconciles
      Then pods "web-0, web-1" run image "nginx:1.26"
      And pods "web-2" run image "nginx:1.27"
      When 1 minute passes
      Then pods "web-0, web-1, web-2" run image "nginx:1.27"
      And pods "web-2, web-1, web-0" were created in that order
      And statefulset "web" has these fields:
        | field                  | value |
        | status.updatedReplicas | 3     |
        | status.currentReplicas | 3     |

    Scenario: a partition keeps the lower ordinals at the current revision
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: nginx
          replicas: 3
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {partition: 2}
          selector: {matchLabels: {app: nginx}}
          template:
            metadata:
              labels: {app: nginx}
              annotations: {kubespec.io/ready-after: 5s}
            spec:
              containers: [{name: nginx, image: "nginx:1.27"}]
        """
      And 1 minute passes
      Then pods "web-2" run image "nginx:1.27"
      And pods "web-0, web-1" run image "nginx:1.26"
      And statefulset "web" has these fields:
        | field                  | value |
        | status.updatedReplicas | 1     |
        | status.currentReplicas | 2     |

    Scenario: with OnDelete, pods take the new template only when they are deleted
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: nginx
          replicas: 3
          updateStrategy:
            type: OnDelete
            # kubectl apply keeps the rollingUpdate the API server defaulted; OnDelete must clear it.
            rollingUpdate: null
          selector: {matchLabels: {app: nginx}}
          template:
            metadata:
              labels: {app: nginx}
              annotations: {kubespec.io/ready-after: 5s}
            spec:
              containers: [{name: nginx, image: "nginx:1.27"}]
        """
      And 1 minute passes
      Then pods "web-0, web-1, web-2" run image "nginx:1.26"
      When I delete pod "web-1"
      And 1 minute passes
      Then pods "web-1" run image "nginx:1.27"
      And pods "web-0, web-2" run image "nginx:1.26"

  Rule: a StatefulSet adopts the orphans its selector matches, but only those named after one of its ordinals

    Background:
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: db-0
          labels: {app: db}
        spec:
          containers: [{name: postgres, image: "postgres:16"}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: db-backup
          labels: {app: db}
        spec:
          containers: [{name: pg-dump, image: "postgres:16"}]
        """
      And the cluster reconciles

    Scenario: an orphan named after an ordinal becomes that replica, and is replaced as it lacks the set's revision
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And the cluster reconciles
      Then pod "db-0" is controlled by statefulset "db"
      And the pods of statefulset "db" are "db-0, db-1"
      And the events of statefulset "db" were:
        | reason           | message                                        |
        | SuccessfulUpdate | update Pod db-0 in StatefulSet db successful |
        | SuccessfulCreate | create Pod db-1 in StatefulSet db successful |
        | SuccessfulDelete | delete Pod db-0 in StatefulSet db successful |
        | SuccessfulCreate | create Pod db-0 in StatefulSet db successful |

    Scenario: an orphan the selector matches whose name is no ordinal of the set is left alone
      When I apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      And the cluster reconciles
      Then pod "db-backup" has no controller
      And pod "db-backup" has phase "Running"
      And the pods of statefulset "db" are "db-0, db-1"
