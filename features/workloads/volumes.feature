# Persistent storage as the PersistentVolume controller (k8s:pkg/controller/volume/persistentvolume/pv_controller.go),
# the external provisioners and the scheduler's VolumeBinding plugin
# (k8s:pkg/scheduler/framework/plugins/volumebinding/) handle it: a claim binds to the smallest available volume
# that satisfies it or is provisioned from its StorageClass, WaitForFirstConsumer claims wait for their pod's
# node, and a released volume is kept or deleted as its reclaim policy says.
@epic:workloads @feature:volumes
Feature: Persistent volumes for stateful pods
  The database team asks for storage with PersistentVolumeClaims. Whether a claim gets a volume, which one,
  on which node its pod may then run, and what happens to the data when the claim goes are the questions they
  ask before every migration, so the simulated cluster must answer them as a real one does.

  Background:
    Given the nodes:
      | name   | cpu | memory | labels                        |
      | node-a | 4   | 16Gi   | topology.kubernetes.io/zone=a |
      | node-b | 4   | 16Gi   | topology.kubernetes.io/zone=b |

  Rule: a claim binds to the smallest available volume that satisfies it

    @severity:critical
    Scenario: the smallest volume that is big enough is chosen
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-large}
        spec:
          capacity: {storage: 100Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/large}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-small}
        spec:
          capacity: {storage: 10Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/small}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 8Gi}}
        """
      When the cluster reconciles
      Then claim "data" is bound to volume "pv-small"
      And volume "pv-large" has phase "Available"
      And persistentvolumeclaim "data" has these fields:
        | field              | value              |
        | status.capacity    | {"storage":"10Gi"} |
        | status.accessModes | ["ReadWriteOnce"]  |
        | spec.volumeMode    | Filesystem         |

    Scenario: a claim that no volume satisfies stays pending and says why
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-shared}
        spec:
          capacity: {storage: 10Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/shared}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: shared}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteMany]
          resources: {requests: {storage: 1Gi}}
        """
      When the cluster reconciles
      Then claim "shared" is pending
      And the events include:
        | type   | reason        | object                       | message                                                                    |
        | Normal | FailedBinding | persistentvolumeclaim/shared | no persistent volumes available for this claim and no storage class is set |

    Scenario: a claim's label selector picks among the volumes
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-standard}
        spec:
          capacity: {storage: 10Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/standard}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-ssd
          labels: {media: ssd}
        spec:
          capacity: {storage: 50Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/ssd}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          selector: {matchLabels: {media: ssd}}
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        """
      When the cluster reconciles
      Then claim "data" is bound to volume "pv-ssd"

    Scenario: a claim that names a volume too small for it is refused by the controller
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-1}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/one}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          volumeName: pv-1
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        """
      When the cluster reconciles
      Then persistentvolumeclaim "data" has these fields:
        | field        | value   |
        | status.phase | Pending |
      And the events include:
        | type    | reason         | object                     | message                                                           |
        | Warning | VolumeMismatch | persistentvolumeclaim/data | Cannot bind to requested volume "pv-1": requested PV is too small |

    Scenario: a volume the administrator adds later is found by the next periodic sync
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-1}
        spec:
          capacity: {storage: 5Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/one}
        """
      And the cluster reconciles
      Then claim "data" is pending
      When 15 seconds pass
      Then claim "data" is bound to volume "pv-1"

  Rule: a pod is only scheduled once its claims can be satisfied

    @severity:critical
    Scenario: a pod whose claim does not exist stays pending
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And the cluster reconciles
      Then pod "db" is unschedulable with message "0/2 nodes are available: persistentvolumeclaim \"data\" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

    Scenario: a pod whose claim is not bound yet waits for it
      When I apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And the cluster reconciles
      Then pod "db" is unschedulable with message "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

    Scenario: the pod is scheduled once its claim is bound
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-1}
        spec:
          capacity: {storage: 5Gi}
          accessModes: [ReadWriteOnce]
          nfs: {server: nfs.example.com, path: /exports/one}
        """
      And 15 seconds pass
      Then claim "data" is bound to volume "pv-1"
      And pod "db" has phase "Running"

  Rule: a volume with node affinity keeps its pod on the nodes it allows

    Scenario: a pod follows its local volume to the volume's node
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: local-a}
        spec:
          capacity: {storage: 100Gi}
          accessModes: [ReadWriteOnce]
          local: {path: /mnt/disks/ssd1}
          nodeAffinity:
            required:
              nodeSelectorTerms:
                - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-a]}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 50Gi}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And the cluster reconciles
      Then pod "db" is scheduled on node "node-a"

    Scenario: the pod cannot go anywhere else when the volume's node is full
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: local-a}
        spec:
          capacity: {storage: 100Gi}
          accessModes: [ReadWriteOnce]
          local: {path: /mnt/disks/ssd1}
          nodeAffinity:
            required:
              nodeSelectorTerms:
                - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-a]}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 50Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          nodeName: node-a
          containers:
            - name: job
              image: batch:1
              resources: {requests: {cpu: "2"}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers:
            - name: postgres
              image: postgres:17
              resources: {requests: {cpu: "3"}}
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And the cluster reconciles
      Then pod "db" is unschedulable with message "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had volume node affinity conflict. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."

    Scenario: a zonal volume keeps its pod in its zone
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: disk-b
          labels: {topology.kubernetes.io/zone: b}
        spec:
          capacity: {storage: 20Gi}
          accessModes: [ReadWriteOnce]
          csi: {driver: pd.csi.storage.gke.io, volumeHandle: projects/shop/zones/b/disks/orders}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: orders}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 20Gi}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: orders-db}
        spec:
          nodeSelector: {topology.kubernetes.io/zone: a}
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: orders}}]
        """
      And the cluster reconciles
      Then pod "orders-db" is unschedulable with message "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had no available volume zone. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

  Rule: a WaitForFirstConsumer claim is bound where its first pod is scheduled

    Background:
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: local-storage}
        provisioner: kubernetes.io/no-provisioner
        volumeBindingMode: WaitForFirstConsumer
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: local-a}
        spec:
          capacity: {storage: 100Gi}
          accessModes: [ReadWriteOnce]
          storageClassName: local-storage
          local: {path: /mnt/disks/ssd1}
          nodeAffinity:
            required:
              nodeSelectorTerms:
                - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-a]}]
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: local-b}
        spec:
          capacity: {storage: 100Gi}
          accessModes: [ReadWriteOnce]
          storageClassName: local-storage
          local: {path: /mnt/disks/ssd1}
          nodeAffinity:
            required:
              nodeSelectorTerms:
                - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-b]}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: local-storage
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 50Gi}}
        """

    Scenario: the claim waits for a pod
      When the cluster reconciles
      Then claim "data" is pending
      And the events include:
        | type   | reason               | object                     | message                                                 |
        | Normal | WaitForFirstConsumer | persistentvolumeclaim/data | waiting for first consumer to be created before binding |

    @severity:critical
    Scenario: the claim gets the volume on the node the scheduler chose for the pod
      Given I cordon node "node-a"
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And 1 second passes
      Then pod "db" is scheduled on node "node-b"
      And claim "data" is bound to volume "local-b"

    Scenario: the pod is bound only after the PV controller has bound its claim
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          nodeSelector: {topology.kubernetes.io/zone: b}
          containers: [{name: postgres, image: postgres:17}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """
      And the cluster reconciles
      Then claim "data" is bound to volume "local-b"
      And pod "db" is not scheduled
      When 1 second passes
      Then pod "db" is scheduled on node "node-b"

    Scenario: no node has a volume left for the claim
      When I apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: huge}
        spec:
          storageClassName: local-storage
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 500Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: warehouse}
        spec:
          containers: [{name: clickhouse, image: clickhouse:24}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: huge}}]
        """
      And the cluster reconciles
      Then pod "warehouse" is unschedulable with message "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

  Rule: a StorageClass with a provisioner creates volumes on demand

    Scenario: an immediate class provisions a volume as soon as the claim exists
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: gp3}
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: gp3
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 20Gi}}
        """
      When the cluster reconciles
      Then claim "data" is bound
      And the events include:
        | type   | reason               | object                     | message                                                                                                                                                                                                                                 |
        | Normal | ExternalProvisioning | persistentvolumeclaim/data | Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered. |
        | Normal | Provisioning         | persistentvolumeclaim/data | External provisioner is provisioning volume for claim "default/data"                                                                                                                                                                    |
      And the events include:
        | type   | reason                | object                     |
        | Normal | ProvisioningSucceeded | persistentvolumeclaim/data |

    Scenario: a WaitForFirstConsumer class provisions on the node of the first pod
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: local-path
          annotations: {kubespec.io/provisioned-topology: kubernetes.io/hostname}
        provisioner: rancher.io/local-path
        volumeBindingMode: WaitForFirstConsumer
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: cache}
        spec:
          storageClassName: local-path
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 2Gi}}
        """
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: redis}
        spec:
          nodeSelector: {topology.kubernetes.io/zone: a}
          containers: [{name: redis, image: redis:7}]
          volumes: [{name: cache, persistentVolumeClaim: {claimName: cache}}]
        """
      And 1 second passes
      Then pod "redis" is scheduled on node "node-a"
      And claim "cache" is bound
      And persistentvolumeclaim "cache" has these fields:
        | field                                                          | value                 |
        | metadata.annotations[volume.kubernetes.io/selected-node]       | node-a                |
        | metadata.annotations[volume.kubernetes.io/storage-provisioner] | rancher.io/local-path |

    Scenario: a claim that names no class gets the default class
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: standard
          annotations: {storageclass.kubernetes.io/is-default-class: "true"}
        provisioner: pd.csi.storage.gke.io
        """
      When I apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 10Gi}}
        """
      And the cluster reconciles
      Then persistentvolumeclaim "data" has these fields:
        | field                 | value    |
        | spec.storageClassName | standard |
      And claim "data" is bound

    Scenario: a claim for a class nobody created cannot be provisioned
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: fast
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 10Gi}}
        """
      When the cluster reconciles
      Then claim "data" is pending
      And the events include:
        | type    | reason             | object                     | message                                      |
        | Warning | ProvisioningFailed | persistentvolumeclaim/data | storageclass.storage.k8s.io "fast" not found |

    Scenario: a class without a provisioner cannot provision an immediate claim
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: manual}
        provisioner: kubernetes.io/no-provisioner
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: manual
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 10Gi}}
        """
      When the cluster reconciles
      Then claim "data" is pending
      And the events include:
        | type    | reason             | object                     | message                                                     |
        | Warning | ProvisioningFailed | persistentvolumeclaim/data | no volume plugin matched name: kubernetes.io/no-provisioner |

  Rule: a released volume is kept or deleted as its reclaim policy says

    Scenario: a retained volume is released with its data when its claim goes
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-1}
        spec:
          capacity: {storage: 5Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          nfs: {server: nfs.example.com, path: /exports/one}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        """
      And the cluster reconciles
      When I delete persistentvolumeclaim "data"
      And the cluster reconciles
      Then volume "pv-1" has phase "Released"

    Scenario: a provisioned volume is deleted with its claim
      Given the manifests:
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: gp3}
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: gp3
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 20Gi}}
        """
      And the cluster reconciles
      When I delete persistentvolumeclaim "data"
      And the cluster reconciles
      Then there are no persistent volumes

    Scenario: a hand-made hostPath volume with the Delete policy cannot be deleted
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv-host}
        spec:
          capacity: {storage: 5Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Delete
          hostPath: {path: /mnt/data}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 5Gi}}
        """
      And the cluster reconciles
      When I delete persistentvolumeclaim "data"
      And the cluster reconciles
      Then volume "pv-host" has phase "Failed"
      And the events include:
        | type    | reason             | object                   | message                                                                 |
        | Warning | VolumeFailedDelete | persistentvolume/pv-host | host_path deleter only supports /tmp/.+ but received provided /mnt/data |

  Rule: volumes that live and die with the pod need no claim

    Scenario: a pod with an emptyDir scratch volume runs at once
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: builder}
        spec:
          containers:
            - name: build
              image: golang:1.23
              volumeMounts: [{name: scratch, mountPath: /tmp/build}]
          volumes: [{name: scratch, emptyDir: {}}]
        """
      And the cluster reconciles
      Then pod "builder" has phase "Running"

  Rule: claims and volumes are checked by the API server

    Scenario: a claim must say how much storage it needs
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (PersistentVolumeClaim default/data): The PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Required value
        """

    Scenario: a volume must say what it is
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: code-pv}
        spec: {}
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (PersistentVolume code-pv): The PersistentVolume "code-pv" is invalid: spec.accessModes: Required value
        manifests:4: document 1 (PersistentVolume code-pv): The PersistentVolume "code-pv" is invalid: spec.capacity: Required value
        manifests:4: document 1 (PersistentVolume code-pv): The PersistentVolume "code-pv" is invalid: spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"
        manifests:4: document 1 (PersistentVolume code-pv): The PersistentVolume "code-pv" is invalid: spec: Required value: must specify a volume type
        """

  Rule: a pod waits for the ConfigMaps and Secrets it mounts

    Scenario: a pod mounting a missing ConfigMap stays ContainerCreating and says why
      Given the nodes:
        | name   |
        | node-1 |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: config, mountPath: /etc/app}]}]
          volumes: [{name: config, configMap: {name: app-config}}]
        """
      When the cluster reconciles
      Then pod "web" has phase "Pending"
      And the events include:
        | type    | reason      | object  | message                                                                        |
        | Warning | FailedMount | pod/web | MountVolume.SetUp failed for volume "config" : configmap "app-config" not found |

    Scenario: the pod starts once the ConfigMap it mounts is created
      Given the nodes:
        | name   |
        | node-1 |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: config, mountPath: /etc/app}]}]
          volumes: [{name: config, configMap: {name: app-config}}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-config}
        data: {mode: production}
        """
      And 5 seconds pass
      Then pod "web" has phase "Running"
