# Cascading deletion through ownerReferences, as kube-controller-manager's garbage collector carries it out
# (k8s:pkg/controller/garbagecollector/garbagecollector.go) and the API server's DELETE sets it up
# (k8s:staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go): in the background the owner goes at
# once and its dependents after it; in the foreground the owner waits, marked with the `foregroundDeletion`
# finalizer, until its dependents are gone; with orphan the dependents lose their ownerReference and stay.
@epic:workloads @feature:garbage-collection
Feature: Deleting an owner deletes, waits for or orphans what it owns
  Operators delete Deployments to retire services and sometimes want to keep the pods running while they hand them
  over to another owner. They need to know what disappears, in which order, and what keeps serving traffic.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 32Gi   |
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
            annotations: {kubespec.io/shutdown-after: 20s}
          spec:
            containers: [{name: app, image: "nginx:1.26"}]
      """
    And the cluster reconciles

  Rule: kubectl delete cascades in the background by default

    @severity:critical
    Scenario: the Deployment goes at once, its ReplicaSet right after, and its pods shut down
      When I delete deployment "web"
      And the cluster reconciles
      Then there is no deployment "web"
      And there are 0 replicasets matching "app=web"
      And there are 2 pods matching "app=web"
      And 0 pods matching "app=web" are running
      When 20 seconds pass
      Then there are 0 pods matching "app=web"

    Scenario: deleting a ReplicaSet deletes its pods, and its Deployment makes a new one
      When I delete replicaset "web-64d47dfc9f"
      And the cluster reconciles
      Then deployment "web" has 1 replica set
      And 2 pods matching "app=web" are running
      And there are 4 pods matching "app=web"

  Rule: in the foreground the owner waits until its dependents are gone

    Scenario: the Deployment and its ReplicaSet stay, marked for deletion, until the pods have shut down
      When I delete deployment "web" with propagation "Foreground"
      And the cluster reconciles
      Then deployment "web" has these fields:
        | field                      | value                  |
        | metadata.finalizers        | ["foregroundDeletion"] |
        | metadata.deletionTimestamp | 2025-01-01T00:00:00Z   |
        | metadata.generation        | 2                      |
      And replicaset "web-64d47dfc9f" has these fields:
        | field               | value                  |
        | metadata.finalizers | ["foregroundDeletion"] |
        | spec.replicas       | 2                      |
      And there are 2 pods matching "app=web"
      And 0 pods matching "app=web" are running
      When 19 seconds pass
      Then deployment "web" has these fields:
        | field               | value                  |
        | metadata.finalizers | ["foregroundDeletion"] |
      And replicaset "web-64d47dfc9f" has these fields:
        | field               | value                  |
        | metadata.finalizers | ["foregroundDeletion"] |
      When 1 second passes
      Then there is no deployment "web"
      And there is no replicaset "web-64d47dfc9f"
      And there are 0 pods matching "app=web"

  Rule: with orphan the dependents lose their owner and keep running

    Scenario: the ReplicaSet and its pods outlive the Deployment, without an owner
      When I delete deployment "web" with propagation "Orphan"
      And the cluster reconciles
      Then there is no deployment "web"
      And replicaset "web-64d47dfc9f" has no controller
      And pod "web-64d47dfc9f-c5rnc" is controlled by replicaset "web-64d47dfc9f"
      And 2 pods matching "app=web" are running

    Scenario: a new Deployment with the same selector and template adopts the orphaned ReplicaSet
      Given I delete deployment "web" with propagation "Orphan"
      And the cluster reconciles
      When I apply the manifests:
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
              annotations: {kubespec.io/shutdown-after: 20s}
            spec:
              containers: [{name: app, image: "nginx:1.26"}]
        """
      And the cluster reconciles
      Then replicaset "web-64d47dfc9f" is controlled by deployment "web"
      And deployment "web" has 1 replica set
      And there are 2 pods matching "app=web"
      And the rollout of deployment "web" is complete
