# LimitRanges as the LimitRanger admission plugin applies them (k8s:plugin/pkg/admission/limitranger/admission.go):
# defaults for what a container does not declare, recorded in the `kubernetes.io/limit-ranger` annotation, and
# min/max refusals in the plugin's words; the LimitRange itself is defaulted and validated as
# k8s:pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem and ValidateLimitRange do.
@epic:api @feature:limit-ranges
Feature: Limit ranges give containers default resources and keep them within bounds
  The platform team sets per-namespace defaults so that a pod without resources still gets sensible requests
  and limits, and caps how big one container may be. A developer wants to see what their pod got and why a
  pod was refused.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 32Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: LimitRange
      metadata: {name: defaults}
      spec:
        limits:
          - type: Container
            default: {cpu: 500m, memory: 512Mi}
            defaultRequest: {cpu: 250m, memory: 256Mi}
            max: {cpu: "1", memory: 1Gi}
      """

  @severity:critical
  Scenario: a container without resources gets the defaults, and the pod says so
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx}]
      """
    Then pod "web" has these fields:
      | field                                             | value                                                                                    |
      | spec.containers[0].resources.requests.cpu         | 250m                                                                                     |
      | spec.containers[0].resources.requests.memory      | 256Mi                                                                                    |
      | spec.containers[0].resources.limits.cpu           | 500m                                                                                     |
      | spec.containers[0].resources.limits.memory        | 512Mi                                                                                    |
      | metadata.annotations[kubernetes.io/limit-ranger]  | LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app |
    And pod "web" has QoS class "Burstable"

  Scenario: only what a container leaves out is defaulted
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx, resources: {limits: {cpu: 800m}}}]
      """
    Then pod "web" has these fields:
      | field                                            | value                                                                          |
      | spec.containers[0].resources.requests.cpu        | 800m                                                                           |
      | spec.containers[0].resources.limits.cpu          | 800m                                                                           |
      | spec.containers[0].resources.requests.memory     | 256Mi                                                                          |
      | metadata.annotations[kubernetes.io/limit-ranger] | LimitRanger plugin set: memory request for container app; memory limit for container app |

  @severity:critical
  Scenario: a container over the maximum is refused
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx, resources: {limits: {cpu: "2"}}}]
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Pod default/web): pods "web" is forbidden: maximum cpu usage per Container is 1, but limit is 2
      """

  Scenario: every violation is reported at once
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx, resources: {limits: {cpu: "2", memory: 2Gi}}}]
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Pod default/web): pods "web" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]
      """

  Scenario: a ReplicaSet whose template is too big reports the refusal
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
            containers: [{name: app, image: nginx, resources: {limits: {cpu: "2"}}}]
      """
    And the cluster reconciles
    Then there are 0 pods matching "app=web"
    And the events include:
      | type    | reason       | object         | message                                                                                        |
      | Warning | FailedCreate | replicaset/web | Error creating: pods "web-c5rnc" is forbidden: maximum cpu usage per Container is 1, but limit is 2 |

  Scenario: a request above the default limit is refused, because the default limit is set first
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx, resources: {requests: {cpu: 800m}}}]
      """
    Then the manifests are refused with:
      """
      manifests:5: document 1 (Pod default/web): The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "800m": must be less than or equal to cpu limit of 500m
      """

  Scenario: the defaults make a pod fit a quota on limits
    Given the manifests:
      """
      apiVersion: v1
      kind: ResourceQuota
      metadata: {name: compute}
      spec:
        hard: {limits.cpu: "1", limits.memory: 2Gi}
      """
    And the cluster reconciles
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx}]
      """
    Then pod "web" has phase "Pending"
    And resourcequota "compute" has these fields:
      | field                      | value |
      | status.used[limits.cpu]    | 500m  |
      | status.used[limits.memory] | 512Mi |

  Scenario: the defaults can take a pod over a quota
    Given the manifests:
      """
      apiVersion: v1
      kind: ResourceQuota
      metadata: {name: compute}
      spec:
        hard: {limits.cpu: 900m}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: api}
      spec:
        containers: [{name: app, image: nginx}]
      """
    And the cluster reconciles
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers: [{name: app, image: nginx}]
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Pod default/web): pods "web" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=500m, limited: limits.cpu=900m
      """

  Scenario: a limit range whose default exceeds its maximum is refused, the default request it implies too
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: LimitRange
      metadata: {name: broken}
      spec:
        limits:
          - type: Container
            default: {cpu: "2"}
            max: {cpu: "1"}
      """
    Then the manifests are refused with:
      """
      manifests:6: document 1 (LimitRange default/broken): The LimitRange "broken" is invalid: spec.limits[0].defaultRequest[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}: default request value 2 is greater than max value 1
      manifests:7: document 1 (LimitRange default/broken): The LimitRange "broken" is invalid: spec.limits[0].default[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1", Format:"DecimalSI"}: default value 2 is greater than max value 1
      """

  Scenario: a claim bigger than the storage maximum is refused
    Given the manifests:
      """
      apiVersion: v1
      kind: LimitRange
      metadata: {name: storage}
      spec:
        limits:
          - type: PersistentVolumeClaim
            max: {storage: 10Gi}
      """
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 20Gi}}
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (PersistentVolumeClaim default/data): persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi
      """
