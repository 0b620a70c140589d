# LoadBalancer Services: a NodePort Service plus a load balancer that the cloud controller manager's service
# controller provisions (k8s:staging/src/k8s.io/cloud-provider/controllers/service/controller.go). kubespec's
# simulated cloud hands out addresses from 203.0.113.0/24.
@epic:networking @feature:services
Feature: LoadBalancer Services
  A team publishes its web application to the internet. The cloud gives the Service an external address; until
  it has, kubectl shows EXTERNAL-IP <pending>.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |
      | n2   | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, labels: {app: web}}
      spec:
        nodeName: n2
        containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
      """

  @severity:critical
  Scenario: the cloud provisions a load balancer and the Service shows its address
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    Then the load balancer of service "web" is pending
    When the cluster reconciles
    Then service "web" has load balancer IP "203.0.113.1"
    And service "web" has a node port between 30000 and 32767
    And service "web" has these fields:
      | field                              | value                                         |
      | spec.allocateLoadBalancerNodePorts | true                                          |
      | spec.externalTrafficPolicy         | Cluster                                       |
      | metadata.finalizers                | ["service.kubernetes.io/load-balancer-cleanup"] |
      | status.loadBalancer.ingress[0].ipMode | VIP                                        |
    And the events include:
      | type   | reason               | object      | message                |
      | Normal | EnsuringLoadBalancer | service/web | Ensuring load balancer |
      | Normal | EnsuredLoadBalancer  | service/web | Ensured load balancer  |

  Scenario: a client on the internet reaches a pod through the load balancer
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And a client outside the cluster connects to the load balancer of service "web" on port 80
    Then the connection reaches pod "web-1" on port 8080

  Scenario: without node ports, the load balancer still gets its address
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        allocateLoadBalancerNodePorts: false
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    And the cluster reconciles
    Then service "web" has load balancer IP "203.0.113.1"
    And service "web" has these fields:
      | field                  | value  |
      | spec.ports[0].nodePort | <none> |

  Scenario: a Service of another load balancer class is left to its own controller
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        loadBalancerClass: example.com/internal-lb
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    And the cluster reconciles
    Then the load balancer of service "web" is pending

  Scenario: a Service that stops being a LoadBalancer loses its load balancer
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    And the cluster reconciles
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: ClusterIP
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    And the cluster reconciles
    Then the load balancer of service "web" is pending
    And service "web" has these fields:
      | field                  | value  |
      | spec.ports[0].nodePort | <none> |
      | metadata.finalizers    | <none> |
    And the events include:
      | reason              | object      | message               |
      | DeletingLoadBalancer | service/web | Deleting load balancer |
      | DeletedLoadBalancer  | service/web | Deleted load balancer  |

  Scenario: a deleted LoadBalancer Service stays until its load balancer is deleted
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    And the cluster reconciles
    When I delete service "web"
    Then service "web" has these fields:
      | field               | value                                           |
      | metadata.finalizers | ["service.kubernetes.io/load-balancer-cleanup"] |
    When the cluster reconciles
    Then there is no service "web"
    And the events include:
      | reason               | object      | message                |
      | DeletingLoadBalancer | service/web | Deleting load balancer |
      | DeletedLoadBalancer  | service/web | Deleted load balancer  |

  Scenario: the load balancer's port is the only way in from outside; a port it does not serve times out
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: LoadBalancer
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And a client outside the cluster connects to the load balancer of service "web" on port 443
    Then the connection times out
