# Which pods a Service selects: those of its own namespace whose labels include every key=value of its selector
# (labels.SelectorFromSet, k8s:pkg/controller/endpoint/endpoints_controller.go syncService). A Service selector
# is a plain map: equality only.
@epic:networking @feature:services
Feature: Service selectors
  A Service sends traffic to the pods whose labels match its selector, and follows them as labels change: a pod
  that loses the label leaves the Service, a pod that gains it joins.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-prod, labels: {app: web, track: stable, team: shop}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-canary, labels: {app: web, track: canary}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: api, labels: {app: api}}
      spec:
        nodeName: n1
        containers: [{name: app, image: api}]
      """

  Scenario: every key of the selector must match; other labels do not matter
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web-stable}
      spec:
        selector: {app: web, track: stable}
        ports: [{port: 80}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{port: 80}]
      """
    And the cluster reconciles
    Then the endpoints of service "web-stable" are "web-prod"
    And the endpoints of service "web" are "web-canary, web-prod"

  Scenario: a pod that gets the label joins the Service, one that loses it leaves
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web-stable}
      spec:
        selector: {app: web, track: stable}
        ports: [{port: 80}]
      """
    And the cluster reconciles
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-canary, labels: {app: web, track: stable}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-prod, labels: {app: web, track: retired, team: shop}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx}]
      """
    And the cluster reconciles
    Then the endpoints of service "web-stable" are "web-canary"

  Scenario: changing the Service's selector changes its endpoints
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{port: 80}]
      """
    And the cluster reconciles
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: api}
        ports: [{port: 80}]
      """
    And the cluster reconciles
    Then the endpoints of service "web" are "api"

  Scenario: a Service without a selector gets no endpoints from the controllers
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: external-db}
      spec:
        ports: [{port: 5432}]
      """
    And the cluster reconciles
    Then the endpoints of service "external-db" are "none"
    And service "external-db" has no Endpoints object

  Scenario: a pod that has not started has no address and is no endpoint yet
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{port: 80}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-pending, labels: {app: web}}
      spec:
        nodeSelector: {disk: none-such}
        containers: [{name: app, image: nginx}]
      """
    When the cluster reconciles
    Then the endpoints of service "web" are "web-canary, web-prod"
    And the service.endpoints decision about pod "web-pending" for service "web" says "not an endpoint of service default/web"

  Scenario: a set-based selector has no place in a Service and is refused
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector:
          matchExpressions: [{key: track, operator: In, values: [stable, canary]}]
        ports: [{port: 80}]
      """
    Then the manifests are refused with:
      """
      manifests:5: document 1 (Service default/web): Service in version "v1" cannot be handled as a Service: json: cannot unmarshal array into Go struct field ServiceSpec.spec.selector of type string
      """

  Scenario: set-based expressions still describe which pods a connection may reach
    Given the manifests:
      """
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
        ports: [{port: 80}]
      """
    When the cluster reconciles
    And pod "client" connects to service "web" on port 80
    Then the connection reaches a pod matching "app=web,track in (stable, canary),team!=ops" on port 80
