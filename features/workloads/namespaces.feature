# Deleting a namespace as the namespace controller carries it out
# (k8s:pkg/controller/namespace/namespace_controller.go, k8s:pkg/controller/namespace/deletion/
# namespaced_resources_deleter.go): it acts 5 seconds after the deletion, deletes every namespaced object, waits
# for pods that terminate gracefully (coming back after half their grace period), reports what is left in the
# namespace's conditions, and finally removes its `kubernetes` finalizer, which lets the namespace go.
@epic:workloads @feature:namespaces
Feature: Deleting a namespace deletes everything in it
  Teams tear down whole environments by deleting their namespace. They need to know that nothing is left
  behind, that the namespace refuses new work while it is emptied, and how long the teardown takes when pods
  shut down slowly.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: staging}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: app-config, namespace: staging}
      data: {LOG_LEVEL: debug}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: staging
        annotations: {kubespec.io/shutdown-after: 20s}
      spec:
        containers: [{name: app, image: nginx}]
      """
    And the cluster reconciles

  Rule: the namespace and its content go

    @severity:critical
    Scenario: the namespace is gone once its pods have shut down
      When I delete namespace "staging"
      And 30 seconds pass
      Then namespace "staging" no longer exists
      And pod "staging/web" no longer exists

    Scenario: the controller starts five seconds after the deletion
      When I delete namespace "staging"
      And the cluster reconciles
      Then namespace "staging" has these fields:
        | field        | value       |
        | status.phase | Terminating |
      And configmap "staging/app-config" has these fields:
        | field          | value |
        | data.LOG_LEVEL | debug |
      When 5 seconds pass
      Then pod "staging/web" is terminating

    Scenario: the namespace says what is still in it while its pods shut down
      When I delete namespace "staging"
      And 5 seconds pass
      Then namespace "staging" has these fields:
        | field                        | value                                                        |
        | status.phase                 | Terminating                                                  |
        | status.conditions[3].type    | NamespaceContentRemaining                                    |
        | status.conditions[3].status  | True                                                         |
        | status.conditions[3].reason  | SomeResourcesRemain                                          |
        | status.conditions[3].message | Some resources are remaining: pods. has 1 resource instances |
        | status.conditions[2].type    | NamespaceDeletionContentFailure                              |
        | status.conditions[2].status  | False                                                        |
        | status.conditions[2].reason  | ContentDeleted                                               |
      And there is no configmap "staging/app-config"

    Scenario: the namespace outlives its pods by the controller's next pass
      When I delete namespace "staging"
      And 25 seconds pass
      Then pod "staging/web" no longer exists
      And namespace "staging" has these fields:
        | field        | value       |
        | status.phase | Terminating |
      When 5 seconds pass
      Then namespace "staging" no longer exists

  Rule: a terminating namespace takes no new content

    Scenario: a ConfigMap for a terminating namespace is refused
      When I delete namespace "staging"
      And I try to apply the manifests:
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: feature-flags, namespace: staging}
        data: {NEW_CHECKOUT: "on"}
        """
      Then the manifests are refused with:
        """
        manifests:3: document 1 (ConfigMap staging/feature-flags): configmaps "feature-flags" is forbidden: unable to create new content in namespace staging because it is being terminated
        """

  Rule: volumes outlive the claims of a deleted namespace as their policy says

    Scenario: a retained volume is released when its namespace goes
      Given the manifests:
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: staging-db}
        spec:
          capacity: {storage: 10Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          nfs: {server: nfs.example.com, path: /exports/staging-db}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: db, namespace: staging}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 10Gi}}
        """
      And the cluster reconciles
      When I delete namespace "staging"
      And 30 seconds pass
      Then namespace "staging" no longer exists
      And volume "staging-db" has phase "Released"
