# NetworkPolicy (networking.k8s.io/v1) as k8s-docs:concepts/services-networking/network-policies.md specifies it
# and the upstream network policy e2e suite (k8s:test/e2e/network/netpol/network_policy.go) exercises it. A denied
# connection is dropped, as most CNI plugins do: the client sees a time-out.
@epic:networking @feature:network-policies
Feature: Network policies
  A platform team isolates workloads: once a policy selects a pod, only the traffic some policy allows reaches
  it, and only the traffic some policy allows leaves it.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
      | n2   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop, labels: {team: shop}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: monitoring, labels: {team: ops}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        nodeName: n1
        containers:
          - name: app
            image: nginx
            ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client, namespace: shop, labels: {app: client}}
      spec:
        nodeName: n2
        containers: [{name: shell, image: busybox}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
      spec:
        nodeName: n2
        containers: [{name: prometheus, image: prom/prometheus}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: grafana, namespace: monitoring, labels: {app: grafana}}
      spec:
        nodeName: n2
        containers: [{name: grafana, image: grafana/grafana}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http}]
      """

  Scenario: a default-deny policy drops every connection to the namespace's pods
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: default-deny-ingress, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress]
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection is denied by network policy

  Scenario: a pod no policy selects accepts every connection
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: isolate-db, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: db}}
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080

  Scenario: a policy without ingress rules denies all, one empty rule allows all
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-all, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress: []
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection is denied by network policy
    When I apply the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-all, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress: [{}]
      """
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080

  Scenario: only namespaces with the label get in
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-ops, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{namespaceSelector: {matchLabels: {team: ops}}}]
      """
    When the cluster reconciles
    And pod "monitoring/grafana" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080
    When pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection is denied by network policy

  Scenario: a pod selector and a namespace selector in one peer must both match
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-prometheus, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {team: ops}}
                podSelector: {matchLabels: {app: prometheus}}
      """
    When the cluster reconciles
    And pod "monitoring/prometheus" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080
    When pod "monitoring/grafana" connects to pod "shop/web" on port 8080
    Then the connection is denied by network policy

  Scenario: the same selectors as two peers allow either
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-ops-or-prometheus, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {team: ops}}
              - podSelector: {matchLabels: {app: prometheus}}
      """
    When the cluster reconciles
    And pod "monitoring/grafana" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080
    # The pod selector alone looks in the policy's own namespace: shop has no prometheus pod, client is not one.
    When pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection is denied by network policy

  Scenario: a pod isolated for egress still resolves names but cannot connect
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-dns-only, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
          - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
      """
    When the cluster reconciles
    And pod "shop/client" resolves "web"
    Then the answer is the cluster IP of service "shop/web"
    When pod "shop/client" connects to service "shop/web" on port 80
    Then the connection is denied by network policy

  Scenario: a client outside the cluster in the allowed block reaches a Service that keeps its address
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web-public, namespace: shop}
      spec:
        type: NodePort
        externalTrafficPolicy: Local
        selector: {app: web}
        ports: [{port: 80, targetPort: http, nodePort: 30080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-partners, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{ipBlock: {cidr: 198.51.100.0/24}}]
      """
    When the cluster reconciles
    And a client outside the cluster connects to node "n1" on port 30080
    Then the connection reaches pod "shop/web" on port 8080

  Scenario: an excepted range of the block is denied
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web-public, namespace: shop}
      spec:
        type: NodePort
        externalTrafficPolicy: Local
        selector: {app: web}
        ports: [{port: 80, targetPort: http, nodePort: 30080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-partners, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{ipBlock: {cidr: 198.51.0.0/16, except: [198.51.100.0/24]}}]
      """
    When the cluster reconciles
    And a client outside the cluster connects to node "n1" on port 30080
    Then the connection is denied by network policy

  Scenario: a Service with the Cluster traffic policy hides the client's address behind the node's
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web-public, namespace: shop}
      spec:
        type: NodePort
        selector: {app: web}
        ports: [{port: 80, targetPort: http, nodePort: 30080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-partners, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{ipBlock: {cidr: 198.51.100.0/24}}]
      """
    When the cluster reconciles
    And a client outside the cluster connects to node "n2" on port 30080
    Then the connection is denied by network policy

  Scenario: a named port allows the container port of that name only
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-http, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: http}]
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080
    When pod "shop/client" connects to pod "shop/web" on port 9090
    Then the connection is denied by network policy

  Scenario: a port range allows every port from port to endPort
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-8000s, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: 8000, endPort: 8999}]
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080
    When pod "shop/client" connects to pod "shop/web" on port 9090
    Then the connection is denied by network policy

  Scenario: policies selecting the same pod add up
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-client-http, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: client}}}]
            ports: [{port: 8080}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-ops-metrics, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{namespaceSelector: {matchLabels: {team: ops}}}]
            ports: [{port: 9090}]
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080
    When pod "monitoring/prometheus" connects to pod "shop/web" on port 9090
    Then the connection reaches pod "shop/web" on port 9090
    When pod "shop/client" connects to pod "shop/web" on port 9090
    Then the connection is denied by network policy

  Scenario: behind a Service the policy sees the pod's target port, not the Service's port
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-port-80, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: 80}]
      """
    When the cluster reconciles
    And pod "shop/client" connects to service "shop/web" on port 80
    Then the connection is denied by network policy
    When I apply the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-port-80, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: 8080}]
      """
    And pod "shop/client" connects to service "shop/web" on port 80
    Then the connection reaches pod "shop/web" on port 8080

  Scenario: traffic needs the source's egress as well as the destination's ingress
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-from-client, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: client}}}]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-to-monitoring, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        egress:
          - to: [{namespaceSelector: {matchLabels: {team: ops}}}]
      """
    When the cluster reconciles
    And pod "shop/client" connects to pod "shop/web" on port 8080
    Then the connection is denied by network policy

  Scenario: a hostNetwork pod on the pod's node gets in, as the node itself does
    Given the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: default-deny-ingress, namespace: shop}
      spec:
        podSelector: {}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: node-agent, namespace: monitoring}
      spec:
        nodeName: n1
        hostNetwork: true
        containers: [{name: agent, image: agent}]
      """
    When the cluster reconciles
    And pod "monitoring/node-agent" connects to pod "shop/web" on port 8080
    Then the connection reaches pod "shop/web" on port 8080

  Scenario: a policy is refused with the API server's words
    When I try to apply the manifests:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: bad, namespace: shop}
      spec:
        podSelector: {}
        ingress:
          - from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}, podSelector: {}}]
            ports: [{port: http, endPort: 90}, {port: 8080, endPort: 80, protocol: ICMP}]
        policyTypes: [Ingress, Egress, Ingress]
      """
    Then the manifests are refused with:
      """
      manifests:8: document 1 (NetworkPolicy shop/bad): The NetworkPolicy "bad" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric
      manifests:8: document 1 (NetworkPolicy shop/bad): The NetworkPolicy "bad" is invalid: spec.ingress[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"
      manifests:8: document 1 (NetworkPolicy shop/bad): The NetworkPolicy "bad" is invalid: spec.ingress[0].ports[1].endPort: Invalid value: 80: must be greater than or equal to `port`
      manifests:7: document 1 (NetworkPolicy shop/bad): The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`
      manifests:7: document 1 (NetworkPolicy shop/bad): The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer
      manifests:9: document 1 (NetworkPolicy shop/bad): The NetworkPolicy "bad" is invalid: spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes
      """
