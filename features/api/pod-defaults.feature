# What the API server fills in on a new pod: defaulting (k8s:pkg/apis/core/v1/defaults.go SetDefaults_Pod,
# SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_ResourceList), the pod strategy's PrepareForCreate
# (k8s:pkg/registry/core/pod/strategy.go: Pending, the QoS class of k8s:pkg/apis/core/helper/qos/qos.go), and the
# admission plugins Priority (k8s:plugin/pkg/admission/priority/admission.go) and DefaultTolerationSeconds.
@epic:api @feature:pod-defaults
Feature: What the API server fills in on a new pod
  A pod manifest says little; the pod in the cluster says much more. Platform engineers rely on those
  defaults (grace period, pull policy, QoS class, priority) when they reason about evictions and restarts, so
  the simulated pod must carry exactly what a real one does.

  Rule: an empty pod spec gets Kubernetes' defaults

    @severity:critical
    Scenario: the defaults of a minimal pod
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then pod "web" has these fields:
        | field                                       | value                          |
        | spec.restartPolicy                          | Always                         |
        | spec.terminationGracePeriodSeconds          | 30                             |
        | spec.dnsPolicy                              | ClusterFirst                   |
        | spec.schedulerName                          | default-scheduler              |
        | spec.enableServiceLinks                     | true                           |
        | spec.priority                               | 0                              |
        | spec.preemptionPolicy                       | PreemptLowerPriority           |
        | spec.containers[0].imagePullPolicy          | Always                         |
        | spec.containers[0].terminationMessagePath   | /dev/termination-log           |
        | spec.containers[0].terminationMessagePolicy | File                           |
        | spec.tolerations[0].key                     | node.kubernetes.io/not-ready   |
        | spec.tolerations[0].tolerationSeconds       | 300                            |
        | spec.tolerations[1].key                     | node.kubernetes.io/unreachable |
        | status.phase                                | Pending                        |
        | status.qosClass                             | BestEffort                     |
        | metadata.generation                         | 1                              |

    Scenario Outline: the pull policy follows the image tag (<image>)
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: "<image>"}]
        """
      Then pod "web" has these fields:
        | field                              | value    |
        | spec.containers[0].imagePullPolicy | <policy> |

      Examples:
        | image                                                                         | policy       |
        | nginx                                                                         | Always       |
        | nginx:latest                                                                  | Always       |
        | nginx:1.27                                                                    | IfNotPresent |
        | registry.local:5000/team/nginx                                                | Always       |
        | nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | IfNotPresent |

  Rule: requests default to limits, and the resources decide the QoS class

    Scenario: a limit alone sets the request, and the pod is Guaranteed
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db}
        spec:
          containers:
            - name: postgres
              image: postgres:17
              resources:
                limits: {cpu: 0.5, memory: 1024Mi}
        """
      Then pod "db" has these fields:
        | field                                        | value      |
        | spec.containers[0].resources.requests.cpu    | 500m       |
        | spec.containers[0].resources.requests.memory | 1Gi        |
        | spec.containers[0].resources.limits.cpu      | 500m       |
        | status.qosClass                              | Guaranteed |

    Scenario: a request below its limit makes the pod Burstable
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          containers:
            - name: app
              image: api:2.1
              resources:
                requests: {cpu: 100m}
                limits: {cpu: 500m, memory: 256Mi}
        """
      Then pod "api" has these fields:
        | field                                        | value     |
        | spec.containers[0].resources.requests.memory | 256Mi     |
        | status.qosClass                              | Burstable |

  Rule: the priority comes from the pod's PriorityClass

    Scenario: a system class
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: dns, namespace: kube-system}
        spec:
          priorityClassName: system-cluster-critical
          containers: [{name: coredns, image: coredns:1.11}]
        """
      Then pod "kube-system/dns" has these fields:
        | field                 | value                |
        | spec.priority         | 2000000000           |
        | spec.preemptionPolicy | PreemptLowerPriority |

    Scenario: a class nobody created
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          priorityClassName: high
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Pod default/web): pods "web" is forbidden: no PriorityClass with name high was found
        """

    Scenario: the global default class applies to pods that name none
      When I apply the manifests:
        """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: batch}
        value: 100
        globalDefault: true
        preemptionPolicy: Never
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: report}
        spec:
          containers: [{name: job, image: report:1}]
        """
      Then pod "report" has these fields:
        | field                  | value |
        | spec.priorityClassName | batch |
        | spec.priority          | 100   |
        | spec.preemptionPolicy  | Never |

    Scenario: only one class may be the global default
      Given the manifests:
        """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: batch}
        value: 100
        globalDefault: true
        """
      When I try to apply the manifests:
        """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: standard}
        value: 1000
        globalDefault: true
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (PriorityClass standard): priorityclasses.scheduling.k8s.io "standard" is forbidden: PriorityClass batch is already marked as default. Only one default can exist
        """

    Scenario: a pod may not set its priority number itself
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          priority: 1000
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Pod default/web): pods "web" is forbidden: the integer value of priority (1000) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name
        """

  Rule: a running pod gets its IP from its node's pod range

    Scenario: the pod IP lies in the node's podCIDR
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 8Gi    |
        | n2   | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeName: n2
          containers: [{name: app, image: nginx}]
        """
      When the cluster reconciles
      Then node "n2" has these fields:
        | field        | value         |
        | spec.podCIDR | 10.244.1.0/24 |
      And pod "web" has these fields:
        | field         | value      |
        | status.phase  | Running    |
        | status.podIP  | 10.244.1.2 |
        | status.hostIP | 172.18.0.3 |
