# Jobs as the Job controller runs them (k8s:pkg/controller/job/job_controller.go, backoff_utils.go,
# indexed_job_utils.go) and the TTL-after-finished controller cleans them up. How a Job fails — the backoff limit,
# the replacement back-off, the active deadline — is policy: rules/job.failure/ holds Kubernetes' defaults.
@epic:workloads @feature:jobs
Feature: Jobs run pods to completion, retry failures with a back-off and give up at their limits
  The data team runs nightly batch jobs. They want to know when a job counts as complete, how long a failing job
  keeps retrying and when it gives up, what an active deadline does to a slow job, and when a finished job and its
  pods disappear. The Job controller looks at pod changes a second later (syncJobBatchPeriod), which the times
  below show.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 32Gi   |

  Rule: a Job is complete once completions pods succeeded, running at most parallelism at a time

    @severity:critical
    Scenario: three completions, two at a time
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          completions: 3
          parallelism: 2
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 30s}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34", command: [perl, -Mbignum=bpi, -wle, "print bpi(2000)"]}]
        """
      And the cluster reconciles
      Then job "pi" has these fields:
        | field         | value |
        | status.active | 2     |
      When 1 minute passes
      Then job "pi" is not complete
      When 10 seconds pass
      Then job "pi" is complete
      And job "pi" has these fields:
        | field                 | value                |
        | status.succeeded      | 3                    |
        | status.active         | <none>               |
        | status.startTime      | 2025-01-01T00:00:00Z |
        | status.completionTime | 2025-01-01T00:01:02Z |
      And the events of job "pi" were:
        | time   | type   | reason           |
        | +0s    | Normal | SuccessfulCreate |
        | +0s    | Normal | SuccessfulCreate |
        | +31s   | Normal | SuccessfulCreate |
        | +1m2s  | Normal | Completed        |
      And the events include:
        | type   | reason    | object | message       |
        | Normal | Completed | job/pi | Job completed |

    Scenario: success is first recorded as SuccessCriteriaMet, then the Job is Complete
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 10s}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 1 minute passes
      Then the conditions of job "pi" are:
        | type               | status | reason             | message                                   |
        | SuccessCriteriaMet | True   | CompletionsReached | Reached expected number of succeeded pods |
        | Complete           | True   | CompletionsReached | Reached expected number of succeeded pods |

    Scenario: the Job's pods carry its name and uid, and so does the Job
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And the cluster reconciles
      Then job "pi" has these fields:
        | field                                             | value |
        | metadata.labels[batch.kubernetes.io/job-name]     | pi    |
        | metadata.labels[job-name]                         | pi    |
        | spec.backoffLimit                                 | 6     |
        | spec.completions                                  | 1     |
        | spec.parallelism                                  | 1     |
        | spec.completionMode                               | NonIndexed |
        | spec.podReplacementPolicy                         | TerminatingOrFailed |
      And pod "pi-c5rnc" has these fields:
        | field                                         | value |
        | metadata.labels[batch.kubernetes.io/job-name] | pi    |
        | metadata.labels[job-name]                     | pi    |
        | metadata.generateName                         | pi-   |
        | metadata.ownerReferences[0].kind              | Job   |
        | metadata.ownerReferences[0].controller        | true  |

    Scenario: with parallelism 1, each completion's pod starts a second after the previous one succeeded
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          completions: 2
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 5s}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 1 minute passes
      Then job "pi" is complete
      And the events of job "pi" were:
        | time | reason           |
        | +0s  | SuccessfulCreate |
        | +6s  | SuccessfulCreate |
        | +12s | Completed        |

  Rule: failed pods are replaced after a back-off until the backoff limit is reached

    @severity:critical
    Scenario: with restartPolicy Never, each failure waits twice as long, and the 7th failed pod fails the Job
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 5s, kubespec.io/exit-code: "2"}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 12 minutes pass
      Then job "pi" has failed with reason "BackoffLimitExceeded"
      And job "pi" has these fields:
        | field         | value  |
        | status.failed | 7      |
        | status.active | <none> |
      And the events of job "pi" were:
        | time    | type    | reason               | message                                     |
        | +0s     | Normal  | SuccessfulCreate     | Created pod: pi-c5rnc                       |
        | +15s    | Normal  | SuccessfulCreate     | Created pod: pi-vkhf4                       |
        | +40s    | Normal  | SuccessfulCreate     | Created pod: pi-rp9jp                       |
        | +1m25s  | Normal  | SuccessfulCreate     | Created pod: pi-hcl7g                       |
        | +2m50s  | Normal  | SuccessfulCreate     | Created pod: pi-n2gm6                       |
        | +5m35s  | Normal  | SuccessfulCreate     | Created pod: pi-fq8hj                       |
        | +11m0s  | Normal  | SuccessfulCreate     | Created pod: pi-ssh9b                       |
        | +11m6s  | Warning | BackoffLimitExceeded | Job has reached the specified backoff limit |

    Scenario: a failed Job records FailureTarget before its terminal Failed condition
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          backoffLimit: 0
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 5s, kubespec.io/exit-code: "1"}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 1 minute passes
      Then the conditions of job "pi" are:
        | type          | status | reason               | message                                     |
        | FailureTarget | True   | BackoffLimitExceeded | Job has reached the specified backoff limit |
        | Failed        | True   | BackoffLimitExceeded | Job has reached the specified backoff limit |

    Scenario: with restartPolicy OnFailure the kubelet restarts the container, and the restarts count
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          backoffLimit: 2
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 5s, kubespec.io/exit-code: "1"}
            spec:
              restartPolicy: OnFailure
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 1 minute passes
      Then job "pi" has failed with reason "BackoffLimitExceeded"
      And job "pi" has these fields:
        | field         | value |
        | status.failed | 1     |
      And the events of job "pi" end with:
        | time | type    | reason               | message                                     |
        | +21s | Normal  | SuccessfulDelete     | Deleted pod: pi-c5rnc                       |
        | +22s | Warning | BackoffLimitExceeded | Job has reached the specified backoff limit |

    Scenario: a policy without the replacement back-off retries a second after each failure
      Given the rule set:
        """
        apiVersion: kubespec.io/v1
        kind: RuleSet
        metadata:
          name: pod-failure-backoff
          description: Batch jobs of this cluster are retried at once.
        spec:
          decisionPoint: job.failure
          rules: []
        """
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          backoffLimit: 2
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 5s, kubespec.io/exit-code: "1"}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 1 minute passes
      Then job "pi" has failed with reason "BackoffLimitExceeded"
      And the events of job "pi" were:
        | time | reason               |
        | +0s  | SuccessfulCreate     |
        | +6s  | SuccessfulCreate     |
        | +12s | SuccessfulCreate     |
        | +18s | BackoffLimitExceeded |

  Rule: a Job active longer than activeDeadlineSeconds fails, whatever its pods are doing

    Scenario: the deadline terminates the running pod and fails the Job once it is gone
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: report}
        spec:
          activeDeadlineSeconds: 30
          template:
            metadata:
              annotations: {kubespec.io/shutdown-after: 10s}
            spec:
              restartPolicy: Never
              containers: [{name: report, image: "python:3.12"}]
        """
      And 30 seconds pass
      Then the conditions of job "report" are:
        | type          | reason           | message                                       |
        | FailureTarget | DeadlineExceeded | Job was active longer than specified deadline |
      When 11 seconds pass
      Then job "report" has failed with reason "DeadlineExceeded"
      And the events of job "report" end with:
        | time | type    | reason           | message                                       |
        | +30s | Normal  | SuccessfulDelete | Deleted pod: report-c5rnc                     |
        | +41s | Warning | DeadlineExceeded | Job was active longer than specified deadline |

  Rule: an Indexed Job runs one successful pod per completion index

    Scenario: each index gets its own pod, named and addressed by its index
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: shard}
        spec:
          completions: 3
          parallelism: 2
          completionMode: Indexed
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 20s}
            spec:
              restartPolicy: Never
              containers: [{name: worker, image: "busybox:1.36"}]
        """
      And the cluster reconciles
      Then the pod of job "shard" with index 1 has these fields:
        | field                                                     | value    |
        | metadata.generateName                                     | shard-1- |
        | metadata.annotations[batch.kubernetes.io/job-completion-index] | 1   |
        | metadata.labels[batch.kubernetes.io/job-completion-index] | 1        |
        | spec.hostname                                             | shard-1  |
        | spec.containers[0].env[0].name                            | JOB_COMPLETION_INDEX |
        | spec.containers[0].env[0].valueFrom.fieldRef.fieldPath    | metadata.annotations['batch.kubernetes.io/job-completion-index'] |
      When 1 minute passes
      Then job "shard" is complete
      And job "shard" has these fields:
        | field                   | value |
        | status.completedIndexes | 0-2   |
        | status.succeeded        | 3     |

  Rule: a Job adopts only the orphans its selector matches, and the generated selector matches its own pods only

    Background:
      Given the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 1m}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And the cluster reconciles
      And I delete job "pi" with propagation "Orphan"
      And the cluster reconciles
      And the pods matching "batch.kubernetes.io/job-name=pi" have no controller

    Scenario: a Job recreated under the same name leaves its predecessor's pod alone and starts its own
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 1m}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And the cluster reconciles
      Then pod "pi-c5rnc" has no controller
      And pod "pi-c5rnc" has phase "Running"
      And there are 2 pods matching "batch.kubernetes.io/job-name=pi"
      And job "pi" has these fields:
        | field         | value |
        | status.active | 1     |

    Scenario: a Job with a manual selector adopts the running pod its deleted predecessor left and counts it
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi-resumed}
        spec:
          manualSelector: true
          selector: {matchLabels: {batch.kubernetes.io/job-name: pi}}
          template:
            metadata:
              labels: {batch.kubernetes.io/job-name: pi}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And the cluster reconciles
      Then pod "pi-c5rnc" is controlled by job "pi-resumed"
      And there is 1 pod matching "batch.kubernetes.io/job-name=pi"
      And job "pi-resumed" has these fields:
        | field         | value |
        | status.active | 1     |
      When 2 minutes pass
      Then job "pi-resumed" is complete
      And the events of job "pi-resumed" were:
        | reason    | message       |
        | Completed | Job completed |

  Rule: a finished Job with ttlSecondsAfterFinished is deleted with its pods after that many seconds

    Scenario: the Job and its pods are gone a minute after it completed
      When I apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          ttlSecondsAfterFinished: 60
          template:
            metadata:
              annotations: {kubespec.io/exit-after: 10s}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      And 1 minute passes
      Then job "pi" is complete
      When 15 seconds pass
      Then there is no job "pi"
      And there are 0 pods matching "batch.kubernetes.io/job-name=pi"
