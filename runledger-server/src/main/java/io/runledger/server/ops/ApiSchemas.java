package io.runledger.server.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.Paths;
import java.util.Map;

/**
 * The named schemas of the OpenAPI document (components): the main resources (runs, services,
 * leases) and the orchestration ones, and which operation answers which of them. Field lists
 * are {@code name:type}; a type starting with {@code #} references another schema. In these
 * schemas every typed field may also be null (an unset timestamp, no error, no parent).
 */
final class ApiSchemas {
    static final String RETRY_POLICY = "RetryPolicy";
    static final String WAITPOINT_REF = "WaitpointRef";

    private static final Map<String, String> SCHEMAS = Map.ofEntries(
            Map.entry("Run", "runId:string,scope:string,service:string,status:string,attempt:integer,"
                    + "maxAttempts:integer,input:any,output:any,error:object,commandId:string,correlationId:string,"
                    + "concurrencyKey:string,parentRunId:string,tags:array,metadata:any,workerId:string,"
                    + "createdAt:string,runAt:string,startedAt:string,finishedAt:string,stopRequestedAt:string,"
                    + "leaseExpiresAt:string,updatedAt:string,lastSeq:integer,rootRunId:string,replayOf:string,priority:integer,"
                    + "lastEventAt:string"),
            Map.entry("Service", "scope:string,service:string,maxAttempts:integer,leaseTtlSeconds:integer,"
                    + "inputSchema:any,concurrencyLimit:integer,description:string,retry:#RetryPolicy,"
                    + "createdAt:string,updatedAt:string,paused:boolean,retentionDays:integer"),
            // the answer of a stop by key when no run had the key yet (else the Run itself)
            Map.entry("KeyStop", "idempotencyKey:string,status:string,runId:string,stopRequestedAt:string"),
            Map.entry("Lease", "runId:string,service:string,input:any,attempt:integer,leaseToken:string,"
                    + "leaseExpiresAt:string,steps:object,resumed:object,stepsComplete:boolean"),
            Map.entry("Leases", "leases:array#Lease"),
            Map.entry(RETRY_POLICY, "initialDelaySeconds:number,maxDelaySeconds:number,factor:number,jitter:number"),
            Map.entry(WAITPOINT_REF,
                    "kind:string,seconds:number,until:string,waitpointId:string,runId:string,batchId:string"),
            Map.entry("WaitResult", "waitpointId:string,kind:string,status:string,data:any"),
            Map.entry("Waitpoint", "waitpointId:string,scope:string,kind:string,status:string,data:any,runId:string,"
                    + "targetRunId:string,targetBatchId:string,resumeAt:string,expiresAt:string,"
                    + "idempotencyKey:string,tags:array,createdAt:string,completedAt:string,callbackUrl:string"),
            Map.entry("CallbackAnswer", "waitpointId:string,kind:string,status:string,data:any,completedAt:string"),
            Map.entry("WaitpointPage", "items:array#Waitpoint,nextCursor:string"),
            Map.entry("StepRecord",
                    "step:string,output:any,attempt:integer,seq:integer,createdAt:string,replayed:boolean"),
            Map.entry("StepPage", "items:array#StepRecord,nextAfter:integer"),
            Map.entry("SuspendResult", "suspended:boolean,results:array#WaitResult"),
            Map.entry("Schedule", "scheduleId:string,scope:string,service:string,cron:string,timezone:string,"
                    + "input:any,enabled:boolean,overlap:string,catchUp:string,nextFireAt:string,lastRunId:string,"
                    + "lastFireAt:string,createdAt:string,updatedAt:string"),
            Map.entry("BulkFilter", "service:string,status:string,concurrencyKey:string,tag:string,"
                    + "parentRunId:string,createdAfter:string,createdBefore:string,health:string,"
                    + "stuckAfterSeconds:integer,silentForSeconds:integer"),
            Map.entry("BulkAction", "bulkActionId:string,scope:string,action:string,filter:#BulkFilter,"
                    + "reason:string,status:string,matched:integer,processed:integer,skipped:integer,failed:integer,"
                    + "createdAt:string,updatedAt:string,finishedAt:string"),
            Map.entry("BulkActionPage", "items:array#BulkAction,nextCursor:string"),
            Map.entry("Receipt", "runId:string,scope:string,service:string,status:string,commandId:string,"
                    + "correlationId:string,createdAt:string,links:object"));

    /** Which schema an operation ({@code method path}) answers on success. */
    static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("get " + Paths.RUN, "Run"),
            Map.entry("post " + Paths.RUN_CANCEL, "Run"),
            Map.entry("post " + Paths.TRIGGER_CANCEL, "KeyStop"),
            Map.entry("post " + Paths.RUN_COMPLETE, "Run"),
            Map.entry("post " + Paths.RUN_FAIL, "Run"),
            Map.entry("put " + Paths.SERVICE, "Service"),
            Map.entry("get " + Paths.SERVICE, "Service"),
            Map.entry("post " + Paths.SERVICE_PAUSE, "Service"),
            Map.entry("post " + Paths.SERVICE_RESUME, "Service"),
            Map.entry("post " + Paths.WORKERS_LEASE, "Leases"),
            Map.entry("post " + Paths.TRIGGER, "Receipt"),
            Map.entry("post " + Paths.WAITPOINTS, "Waitpoint"),
            Map.entry("get " + Paths.WAITPOINTS, "WaitpointPage"),
            Map.entry("get " + Paths.WAITPOINT, "Waitpoint"),
            Map.entry("post " + Paths.WAITPOINT_COMPLETE, "Waitpoint"),
            Map.entry("post " + Paths.CALLBACK, "CallbackAnswer"),
            Map.entry("post " + Paths.RUN_SUSPEND, "SuspendResult"),
            Map.entry("post " + Paths.RUN_STEP, "StepRecord"),
            Map.entry("get " + Paths.RUN_STEPS, "StepPage"),
            Map.entry("post " + Paths.RUN_CHILDREN, "Receipt"),
            Map.entry("post " + Paths.RUN_REPLAY, "Receipt"),
            Map.entry("put " + Paths.SCHEDULE, "Schedule"),
            Map.entry("get " + Paths.SCHEDULE, "Schedule"),
            Map.entry("post " + Paths.BULK_ACTIONS, "BulkAction"),
            Map.entry("get " + Paths.BULK_ACTIONS, "BulkActionPage"),
            Map.entry("get " + Paths.BULK_ACTION, "BulkAction"),
            Map.entry("post " + Paths.BULK_ACTION_CANCEL, "BulkAction"));

    private ApiSchemas() {
    }

    static void addTo(ObjectNode schemas) {
        SCHEMAS.forEach((name, fields) -> {
            ObjectNode s = schemas.putObject(name).put("type", "object");
            fields(s.putObject("properties"), fields, true);
        });
        ((ObjectNode) schemas.get(RETRY_POLICY)).put("additionalProperties", false);
        ObjectNode ref = (ObjectNode) schemas.get(WAITPOINT_REF);
        ref.put("additionalProperties", false).putArray("required").add("kind");
        ArrayNode kinds = ((ObjectNode) ref.get("properties").get("kind")).put("type", "string").putArray("enum");
        for (String kind : new String[] {"duration", "token", "run", "batch"}) {
            kinds.add(kind);
        }
    }

    /** Properties from {@code name:type} pairs; {@code any} leaves the type open. */
    static void fields(ObjectNode props, String fields) {
        fields(props, fields, false);
    }

    private static void fields(ObjectNode props, String fields, boolean nullable) {
        for (String field : fields.split(",")) {
            String[] nt = field.split(":");
            ObjectNode p = props.putObject(nt[0]);
            String type = nt[1];
            if (type.startsWith("#")) {
                p.put("$ref", ref(type.substring(1)));
            } else if (type.startsWith("array#")) {
                p.put("type", "array").putObject("items").put("$ref", ref(type.substring("array#".length())));
            } else if (nullable && !type.equals("any")) {
                p.putArray("type").add(type).add("null");
            } else if (!type.equals("any")) {
                p.put("type", type);
            }
        }
    }

    static String ref(String name) {
        return "#/components/schemas/" + name;
    }
}
