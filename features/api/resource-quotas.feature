# ResourceQuotas as the API server and kube-controller-manager enforce them: the quota admission plugin
# (k8s:staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go) charges each new object to
# the quotas of its namespace with the usage of k8s:pkg/quota/v1/evaluator/core/pods.go and refuses it in the
# plugin's words; the resource quota controller (k8s:pkg/controller/resourcequota/resource_quota_controller.go)
# keeps status.hard and status.used, and gives back what finished and deleted pods used.
@epic:api @feature:resource-quotas
Feature: Resource quotas cap what a team's namespace may use
  The platform team gives each team a namespace with a compute budget. A team lead wants to know which pods
  the budget refuses, with what message, and when room comes back.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 32Gi   |

  Rule: a compute budget refuses what would exceed it and takes back what finished pods used

    Background:
      Given the manifests:
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: compute}
        spec:
          hard: {requests.cpu: "2", count/pods: "4"}
        """
      And the cluster reconciles

    @severity:critical
    Scenario: a pod that would take the namespace over its cpu budget is refused
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 1500m}}}]
        """
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: "1"}}}]
        """
      Then the manifests are refused with:
        """
        manifests:1: document 1 (Pod default/web): pods "web" is forbidden: exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=1500m, limited: requests.cpu=2
        """
      And resourcequota "compute" has these fields:
        | field                      | value |
        | status.hard[requests.cpu]  | 2     |
        | status.used[requests.cpu]  | 1500m |
        | status.used[count/pods]    | 1     |

    Scenario: the controller reports the usage of what was there before the quota
      Given the manifests:
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: memory}
        spec:
          hard: {requests.memory: 8Gi, pods: "10"}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
        """
      When the cluster reconciles
      Then resourcequota "memory" has these fields:
        | field                        | value |
        | status.hard[requests.memory] | 8Gi   |
        | status.used[requests.memory] | 1Gi   |
        | status.used[pods]            | 1     |

    @severity:critical
    Scenario: a Deployment scaled past its quota stops at the quota and says why
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx, resources: {requests: {cpu: 800m}}}]
        """
      And the cluster reconciles
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
              containers: [{name: app, image: nginx, resources: {requests: {cpu: 800m}}}]
        """
      And the cluster reconciles
      Then there are 2 pods matching "app=web"
      And the events include:
        | type    | reason       | object                   | message                                                                                                                                                        |
        | Warning | FailedCreate | replicaset/web-68ff597bf | Error creating: pods "web-68ff597bf-rp9jp" is forbidden: exceeded quota: compute, requested: requests.cpu=800m, used: requests.cpu=1600m, limited: requests.cpu=2 |
      And replicaset "web-68ff597bf" has these fields:
        | field                       | value          |
        | spec.replicas               | 3              |
        | status.replicas             | 2              |
        | status.conditions[0].type   | ReplicaFailure |
        | status.conditions[0].reason | FailedCreate   |
      And resourcequota "compute" has these fields:
        | field                     | value |
        | status.used[requests.cpu] | 1600m |

    Scenario: a finished pod gives its cpu back to the quota
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: migrate
          annotations: {kubespec.io/exit-after: 30s}
        spec:
          restartPolicy: Never
          containers: [{name: app, image: migrate, resources: {requests: {cpu: 1500m}}}]
        """
      And the cluster reconciles
      When 1 minute passes
      Then pod "migrate" ended with phase "Succeeded"
      And resourcequota "compute" has these fields:
        | field                     | value |
        | status.used[requests.cpu] | 0     |
        | status.used[count/pods]   | 1     |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 1500m}}}]
        """
      Then pod "web" has phase "Pending"

  Rule: what a quota tracks and which pods it counts

    Scenario: a quota on memory limits refuses pods that do not declare one
      Given the manifests:
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: memory}
        spec:
          hard: {limits.memory: 4Gi}
        """
      And the cluster reconciles
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {limits: {memory: 1Gi}}}
            - {name: log-shipper, image: fluent-bit}
        """
      Then the manifests are refused with:
        """
        manifests:1: document 1 (Pod default/web): pods "web" is forbidden: failed quota: memory: must specify limits.memory for: log-shipper
        """

    Scenario: a BestEffort quota counts only the pods that ask for nothing
      Given the manifests:
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: best-effort}
        spec:
          hard: {pods: "1"}
          scopes: [BestEffort]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: scratch}
        spec:
          containers: [{name: app, image: busybox}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m}}}]
        """
      Then pod "api" has phase "Pending"
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: scratch-2}
        spec:
          containers: [{name: app, image: busybox}]
        """
      Then the manifests are refused with:
        """
        manifests:1: document 1 (Pod default/scratch-2): pods "scratch-2" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1
        """

    Scenario: a quota scoped to a priority class leaves other pods alone
      Given the manifests:
        """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: high}
        value: 1000
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: high-priority}
        spec:
          hard: {pods: "0"}
          scopeSelector:
            matchExpressions:
              - {scopeName: PriorityClass, operator: In, values: [high]}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: batch}
        spec:
          containers: [{name: app, image: worker, resources: {requests: {cpu: 100m}}}]
        """
      Then pod "batch" has phase "Pending"
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: urgent}
        spec:
          priorityClassName: high
          containers: [{name: app, image: worker, resources: {requests: {cpu: 100m}}}]
        """
      Then the manifests are refused with:
        """
        manifests:1: document 1 (Pod default/urgent): pods "urgent" is forbidden: exceeded quota: high-priority, requested: pods=1, used: pods=0, limited: pods=0
        """

    Scenario: a scope that cannot apply to a resource is refused
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: best-effort-cpu}
        spec:
          hard: {requests.cpu: "1"}
          scopes: [BestEffort]
        """
      Then the manifests are refused with:
        """
        manifests:6: document 1 (ResourceQuota default/best-effort-cpu): The ResourceQuota "best-effort-cpu" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource
        """
