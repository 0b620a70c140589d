# Headless Services (clusterIP: None): no virtual address, no kube-proxy rules; DNS answers the ready pods'
# own addresses (CoreDNS kubernetes plugin findServices), and each endpoint has a name of its own.
@epic:networking @feature:dns
Feature: Headless Services
  A database cluster wants its clients to see every member, not one virtual address: its Service is headless,
  and DNS lists the members that are ready.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: db-0, labels: {app: db}}
      spec:
        nodeName: n1
        hostname: db-0
        subdomain: db
        containers: [{name: db, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: db-1, labels: {app: db}}
      spec:
        nodeName: n1
        containers: [{name: db, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
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
      metadata: {name: db}
      spec:
        clusterIP: None
        selector: {app: db}
        ports: [{name: pg, port: 5432}]
      """
    And the cluster reconciles

  @severity:critical
  Scenario: the Service's name answers the addresses of its ready pods
    Then service "db" has cluster IP "None"
    When pod "client" resolves "db.default.svc.cluster.local"
    Then the answer lists the addresses of pods "db-0, db-1"

  Scenario: the Endpoints and EndpointSlice carry the headless label
    Then endpoints "db" has these fields:
      | field                                            | value |
      | metadata.labels[service.kubernetes.io/headless]  |       |
    And the Endpoints of service "db" list addresses "db-0, db-1" and not-ready addresses "none"

  Scenario: a pod with a hostname and the Service as subdomain gets its own name
    When pod "client" resolves "db-0.db.default.svc.cluster.local"
    Then the answer lists the addresses of pods "db-0"

  Scenario: SRV records name each member
    When pod "client" looks up the SRV records of "_pg._tcp.db.default.svc.cluster.local"
    Then the answer lists the SRV records:
      | priority | weight | port | target                               |
      | 0        | 50     | 5432 | db-0.db.default.svc.cluster.local.   |
      | 0        | 50     | 5432 | 10-244-0-3.db.default.svc.cluster.local. |

  Scenario: with no pod left, the name does not exist
    When I force delete pod "db-0"
    And I force delete pod "db-1"
    And the cluster reconciles
    And pod "client" resolves "db"
    Then the name does not exist

  Scenario: a connection to a headless Service goes straight to a pod, on the port asked for
    When pod "client" connects to service "db" on port 5432
    Then the connection reaches a pod matching "app=db" on port 5432

  Scenario: a headless Service may not be a NodePort
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: db-public}
      spec:
        type: NodePort
        clusterIP: None
        selector: {app: db}
        ports: [{port: 5432}]
      """
    Then the manifests are refused with:
      """
      manifests:4: document 1 (Service default/db-public): The Service "db-public" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services
      """
