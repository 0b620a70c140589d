@epic:lifecycle @feature:pod-phases
Feature: Pods move through Kubernetes' phases, container states and conditions
  What `kubectl get pods` and `kubectl describe pod` show as a pod starts: Running at once (images are taken to
  be on the node already), Ready once its containers are ready, and a QoS class computed from its
  requests and limits (k8s:pkg/kubelet/kubelet_pods.go getPhase, k8s:pkg/kubelet/status/generate.go,
  k8s:pkg/apis/core/helper/qos/qos.go).

  Rule: a pod on a node runs, and turns ready when its containers are

    Scenario: A pod starts at once and is ready once running
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 16Gi   |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      Then pod "web" has phase "Running"
      And container "app" of pod "web" is running
      And pod "web" is ready
      And container "app" of pod "web" has restarted 0 times

    Scenario: A pod turns ready when its readiness delay has passed
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 16Gi   |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/ready-after: 20s}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And 19 seconds pass
      Then pod "web" has phase "Running"
      And pod "web" is not ready
      When 1 second passes
      Then pod "web" is ready

  Rule: the kubelet's own words for the created and started events depend on the version

    Scenario: v1.33 names the container in its created and started events
      Given a Kubernetes v1.33 cluster
      And the nodes:
        | name | cpu | memory |
        | n1   | 4   | 16Gi   |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeName: n1
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      Then the events of pod "web" were:
        | type   | reason  | message                                                 |
        | Normal | Pulled  | Container image "nginx:1.27" already present on machine |
        | Normal | Created | Created container: app                                  |
        | Normal | Started | Started container app                                   |

    Scenario: An image that is always pulled is pulled first
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 16Gi   |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeName: n1
          containers: [{name: app, image: nginx}]
        """
      And the cluster reconciles
      Then the events of pod "web" were:
        | reason  | message                                                                            |
        | Pulling | Pulling image "nginx"                                                              |
        | Pulled  | Successfully pulled image "nginx" in 0s (0s including waiting). Image size: 0 bytes. |
        | Created | Container created                                                                  |
        | Started | Container started                                                                  |

  Rule: the QoS class follows the containers' requests and limits

    Scenario Outline: A pod with <resources> is <class>
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 16Gi   |
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: app
              image: "nginx:1.27"
              resources: <resources>
        """
      And the cluster reconciles
      Then pod "web" has QoS class "<class>"

      Examples:
        | resources                                                                  | class      |
        | {}                                                                         | BestEffort |
        | {requests: {memory: 128Mi}}                                                | Burstable  |
        | {limits: {cpu: 500m, memory: 256Mi}}                                       | Guaranteed |
        | {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 500m, memory: 256Mi}} | Burstable  |
        | {requests: {ephemeral-storage: 1Gi}}                                       | BestEffort |

  Rule: the workload annotations are checked like any other field

    Scenario: A pod whose workload annotation cannot be read is refused
      Given the nodes:
        | name | cpu | memory |
        | n1   | 4   | 16Gi   |
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/exit-after: soon}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Pod default/web): The Pod "web" is invalid: metadata.annotations[kubespec.io/exit-after]: Invalid value: "soon": must be a duration such as 30s, 5m or 1h30m
        """
