# targetPort by name: resolved per pod against its container ports (k8s:staging/src/k8s.io/endpointslice/utils.go
# FindPort), so pods of different versions may listen on different numbers behind one Service port.
@epic:networking @feature:services
Feature: Named target ports
  A Service names the port its pods serve instead of hard-coding a number, so that a new version of the
  application can move to another port without touching the Service.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-v1, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: web:1, ports: [{name: http, containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        nodeName: n1
        containers: [{name: shell, image: busybox}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{name: web, port: 80, targetPort: http}]
      """

  Scenario: the named port is looked up in the pod's containers
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80
    Then the connection reaches pod "web-v1" on port 8080

  Scenario: each pod's own number for the name is used
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-v2, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: web:2, ports: [{name: http, containerPort: 9090}]}]
      """
    When the cluster reconciles
    Then the endpoints of service "web" are "web-v1, web-v2"
    When pod "client" connects to service "web" on port 80 50 times
    Then the connections reach:
      | pod    | port |
      | web-v1 | 8080 |
      | web-v2 | 9090 |

  Scenario: a pod without the named port is no endpoint of that port
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-legacy, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: web:0, ports: [{name: www, containerPort: 80}]}]
      """
    When the cluster reconciles
    Then the endpoints of service "web" are "web-v1"
    And the Endpoints of service "web" list addresses "web-v1" and not-ready addresses "none"
    When pod "client" connects to service "web" on port 80 50 times
    Then every connection reaches pod "web-v1"

  Scenario: the named port must have the Service port's protocol
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-udp, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: web:1, ports: [{name: http, containerPort: 8080, protocol: UDP}]}]
      """
    When the cluster reconciles
    Then the endpoints of service "web" are "web-v1"

  Scenario: the trace says why a pod is no endpoint of a port
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-legacy, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: web:0, ports: [{name: www, containerPort: 80}]}]
      """
    When the cluster reconciles
    Then the service.endpoints decision about pod "web-legacy" for service "web" says "ready endpoint of service default/web (ready: true, serving: true, terminating: false); not for port 80: no container port named \"http\" with protocol TCP"
