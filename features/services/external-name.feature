# ExternalName Services: a DNS alias, no cluster IP, no endpoints (k8s:pkg/controller/endpoint/endpoints_controller.go
# skips them; CoreDNS answers a CNAME).
@epic:networking @feature:services
Feature: ExternalName Services
  The database lives outside the cluster. Applications still call it by a cluster name, so that moving it later
  only changes the Service.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |
    And the manifests:
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
      metadata: {name: db}
      spec:
        type: ExternalName
        externalName: my.database.example.com
      """
    And the cluster reconciles

  @severity:critical
  Scenario: the name answers a CNAME to the external name
    When pod "client" resolves "db.default.svc.cluster.local"
    Then the answer is the CNAME "my.database.example.com"

  Scenario: the Service has no cluster IP and no endpoints
    Then service "db" has these fields:
      | field           | value  |
      | spec.clusterIP  | <none> |
      | spec.ipFamilies | <none> |
      | spec.ports      | <none> |
    And service "db" has no Endpoints object
    And the endpoints of service "db" are "none"

  Scenario: a connection to the Service leaves the cluster for the external name
    When pod "client" connects to service "db" on port 5432
    Then the connection leaves the cluster for "my.database.example.com"

  Scenario: an alias to another Service inside the cluster resolves all the way
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        clusterIP: 10.96.0.40
        selector: {app: web}
        ports: [{port: 80}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: frontend}
      spec:
        type: ExternalName
        externalName: web.default.svc.cluster.local
      """
    When pod "client" resolves "frontend"
    Then the answer is the CNAME "web.default.svc.cluster.local"
    And the answer is "10.96.0.40"

  Scenario: an ExternalName Service needs a valid DNS name
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: bad}
      spec:
        type: ExternalName
        externalName: my_database
      """
    Then the manifests are refused with:
      """
      manifests:6: document 1 (Service default/bad): The Service "bad" is invalid: spec.externalName: Invalid value: "my_database": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      """
