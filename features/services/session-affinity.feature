# sessionAffinity ClientIP: kube-proxy sends a client back to the endpoint it reached last, until it has been
# idle for sessionAffinityConfig.clientIP.timeoutSeconds (10800 by default), the iptables `recent` match
# (k8s:pkg/proxy/iptables/proxier.go writeServiceToEndpointRules).
@epic:networking @feature:services
Feature: Session affinity
  A legacy web application keeps sessions in memory. Its Service pins each client to one pod, so that a user
  does not lose their session on the next request.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: shop, ports: [{containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-2, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: shop, ports: [{containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-3, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: shop, ports: [{containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        nodeName: n1
        containers: [{name: shell, image: busybox}]
      """

  @severity:critical
  Scenario: with ClientIP affinity, every connection of a client reaches the same pod
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        sessionAffinity: ClientIP
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80 30 times
    Then every connection reaches the same pod
    And service "web" has these fields:
      | field                                               | value |
      | spec.sessionAffinityConfig.clientIP.timeoutSeconds  | 10800 |

  Scenario: without affinity, the same client is spread over the pods
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80 30 times
    Then the connections reach pods "web-1, web-2, web-3"

  Scenario: the pod a client is pinned to goes away, and the client moves to another
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        sessionAffinity: ClientIP
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80
    Then the connection reaches pod "web-2" on port 8080
    When I force delete pod "web-2"
    And the cluster reconciles
    And pod "client" connects to service "web" on port 80 10 times
    Then every connection reaches the same pod
    And the connections reach pods "web-3"

  Scenario: the affinity lasts while the client keeps coming back within the timeout
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        sessionAffinity: ClientIP
        sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80 6 times, 50 seconds apart
    Then every connection reaches the same pod

  Scenario: a client idle for longer than the timeout is balanced afresh
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        sessionAffinity: ClientIP
        sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80 12 times, 61 seconds apart
    Then the connections reach pods "web-1, web-2, web-3"

  Scenario: the affinity timeout may not exceed a day
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        sessionAffinity: ClientIP
        sessionAffinityConfig: {clientIP: {timeoutSeconds: 90000}}
        selector: {app: web}
        ports: [{port: 80}]
      """
    Then the manifests are refused with:
      """
      manifests:6: document 1 (Service default/web): The Service "web" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400
      """
