using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portal.Web.Hosting;

/// <summary>The OpenAPI document: title, the X-Api-Key scheme on client endpoints, and an example for every operation.</summary>
public static class ApiDocumentation
{
    public const string ApiKeyScheme = "ApiKey";

    public static void Configure(OpenApiOptions o)
    {
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "失信被执行人名单公示 API";
            doc.Info.Description = "公开查询接口无需密钥；变更推送、删除通知和批量核查须在请求头 X-Api-Key 中提供管理员发放的密钥。" +
                                   "身份证号码只以脱敏形式（idNumberMasked）出现。错误以 ProblemDetails 返回，code 字段为错误代码。";
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                Description = "管理员登记客户端时发放，形如 pk_xxxxxxxx_...；只显示一次。",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            if (operation.OperationId is not { } id) return Task.CompletedTask;
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
                (operation.Security ??= []).Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
            if (RequestExamples.TryGetValue(id, out var request) && operation.RequestBody?.Content is { } content)
                foreach (var media in content.Values) media.Example = JsonNode.Parse(request);
            if (ResponseExamples.TryGetValue(id, out var response) && operation.Responses is { } responses
                && (responses.TryGetValue("200", out var ok) || responses.TryGetValue("201", out ok)) && ok.Content is { } okContent)
                foreach (var media in okContent.Values) media.Example = response.TrimStart()[0] is '{' or '[' ? JsonNode.Parse(response) : JsonValue.Create(response);
            return Task.CompletedTask;
        });
    }

    private const string ExampleEntry = """
        {"publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号","subjectType":"person","name":"张三",
         "idNumberMasked":"4127021984****1512","gender":"male","age":42,"creditCode":null,"legalRepresentative":null,
         "court":"洛阳市洛龙区人民法院","province":"河南","basisDocumentNumber":"（2018）豫0311民初5678号","basisIssuer":"洛阳市洛龙区人民法院",
         "obligation":"被告于本判决生效之日起十日内偿还原告借款本金50000元。","performanceStatus":"partial","circumstances":["refuses"],
         "performedPart":{"amount":10000,"text":"已扣划存款"},"unperformedPart":{"amount":40000,"text":null},"filedAt":"2019-03-01","publishedAt":"2019-05-31T16:00:00Z",
         "revokedAt":null,"listingEndsAt":null}
        """;

    private const string ExampleOrganization = """
        {"publicId":"k2m9q4xw7c1t8r5a","caseNumber":"（2020）豫0311执2001号","subjectType":"organization","name":"洛阳市恒达建筑工程有限公司",
         "idNumberMasked":null,"gender":null,"age":null,"creditCode":"91410311MA44L2K3X8","legalRepresentative":"张三",
         "court":"洛阳市洛龙区人民法院","province":"河南","basisDocumentNumber":"（2019）豫0311民初100号","basisIssuer":"洛阳仲裁委员会",
         "obligation":"被申请人支付工程款1200000元。","performanceStatus":"partial","circumstances":["refuses","asset-report"],
         "performedPart":{"amount":200000,"text":"已执行到位部分车辆"},"unperformedPart":{"amount":1000000,"text":null},"filedAt":"2020-01-10",
         "publishedAt":"2020-02-29T16:00:00Z","revokedAt":null,"listingEndsAt":null}
        """;

    private const string ExamplePage = $$$"""
        {"notice":null,"total":1,"page":1,"pageSize":20,"items":[{{{ExampleEntry}}}],
         "hits":[{"publicId":"4ds3sgyb5cnp7j5t","match":"exact_name","approximate":false,"highlights":[{"start":0,"length":2}],"matchedOn":"name"}],
         "places":null,
         "representatives":{"total":1,"items":[{{{ExampleOrganization}}}],
           "hits":[{"publicId":"k2m9q4xw7c1t8r5a","match":"exact_name","approximate":false,"highlights":[{"start":0,"length":2}],"matchedOn":"legalRepresentative"}]},
         "facets":{"type":[{"value":"person","count":1}],"province":[{"value":"河南","count":1}],"court":[{"value":"洛阳市洛龙区人民法院","count":1}],
                   "year":[{"value":"2019","count":1}],"circumstance":[{"value":"refuses","count":1}]}}
        """;

    private const string ExampleApplication = """
        {"kind":"correction","kindLabel":"申请纠正","status":"received","statusLabel":"已受理，待审查","caseNumber":"（2019）豫0311执1234号",
         "court":"洛阳市洛龙区人民法院","receivedAt":"2026-11-20T02:00:00Z","dueBy":"2026-11-23","dueProvisional":false,"duePeriod":"3日",
         "grounds":["不符合纳入失信被执行人名单的条件"],"decidedAt":null,"decision":null,"decidingUnit":null,
         "history":[{"at":"2026-11-20T02:00:00Z","status":"已受理，待审查","note":"已收到申请纠正，法院将于2026年11月23日前作出决定"}],
         "reconsiderationUntil":null}
        """;

    private const string ExampleMeasure = """
        {"id":41,"publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号","court":"洛阳市洛龙区人民法院","measure":"flight",
         "measureName":"限制乘坐飞机","subject":"debtor-person","appliedOn":"2026-11-19","reference":"民航限〔2026〕12号","status":"active",
         "recordedAt":"2026-11-20T02:00:00Z","objectionId":null}
        """;

    private const string ExampleLift = """
        {"id":17,"measureId":41,"publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号","court":"洛阳市洛龙区人民法院","measure":"flight",
         "cause":"shielded","noticeAt":"2026-11-20T03:15:00Z","dueOn":"2026-11-25","dueProvisional":false,"liftedOn":null,"acknowledgedAt":null,"status":"open"}
        """;

    private const string ExampleWatchRegistered = """{"added":2,"replaced":0,"removed":0,"total":2,"alreadyListed":2,"unverifiable":0}""";

    private const string ExampleWatched = """{"reference":"C-000123","subjectType":"person","name":"张三","unverifiable":false,"addedAt":"2026-12-07T02:00:00Z"}""";

    /// <summary>Request bodies by operation id; public for the test that sends them.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequestExamples = new Dictionary<string, string>
    {
        ["SearchEntriesByPost"] = """{"q":"412702198403151512","type":null,"province":null,"page":1,"pageSize":20}""",
        ["SubmitApplication"] = """
            {"kind":"correction","caseNumber":"（2019）豫0311执1234号","idNumber":"412702198403151512","creditCode":null,
             "grounds":["not-dishonest"],"text":"案件执行依据已被再审撤销，不应纳入失信被执行人名单。","contact":"13812345678"}
            """,
        ["CheckVerificationReceipt"] = """
            {"requestSha256":"0f4c8e1f6a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5","resultSha256":"9a8b7c6d5e4f30211f2e3d4c5b6a79880f1e2d3c4b5a69788796a5b4c3d2e1f0"}
            """,
        ["RecordMeasure"] = """{"publicId":"4ds3sgyb5cnp7j5t","measure":"flight","appliedOn":"2026-11-19","subject":"debtor-person","reference":"民航限〔2026〕12号"}""",
        ["ForwardObjection"] = """{"grounds":"被执行人称已于2026年11月15日全部履行，并提交了银行转账回单。"}""",
        ["AcknowledgeMeasureLift"] = """{"liftedOn":"2026-11-23"}""",
        ["RegisterWatchedSubjects"] = """
            {"subjects":[
              {"reference":"C-000123","name":"张三","idNumber":"412702198403151512"},
              {"reference":"C-000456","name":"洛阳市恒达建筑工程有限公司","creditCode":"91410311MA44L2K3X8"}],
             "mode":"add"}
            """,
        ["Verify"] = """
            {"subjects":[
              {"name":"张三","idNumber":"412702198403151512"},
              {"name":"洛阳市恒达建筑工程有限公司","creditCode":"91410311MA44L2K3X8",
               "related":[{"role":"legalRepresentative","name":"王建国"},{"role":"controller","name":"张三","idNumber":"412702198403151512"}]},
              {"name":"李四","idNumber":"41270219840315151X"}]}
            """,
    };

    public static readonly IReadOnlyDictionary<string, string> ResponseExamples = new Dictionary<string, string>
    {
        ["SearchEntries"] = ExamplePage,
        ["SearchEntriesByPost"] = ExamplePage,
        ["Suggest"] = """{"suggestions":[{"name":"张三","subjectType":"person"},{"name":"张三丰","subjectType":"person"}]}""",
        ["GetEntry"] = ExampleEntry,
        ["GetStatistics"] = """
            {"asOf":"2026-11-30T08:00:00Z","computedAt":"2026-11-30T08:00:05Z","publicNow":11846,
             "months":[{"month":"2026-11","listed":412,"shielded":96,"revoked":7,"expired":31,"withdrawn":2}],
             "byProvince":[{"key":"河南","label":"河南","count":1203}],"byCity":[{"key":"河南 洛阳市","label":"河南 洛阳市","count":640}],
             "byCourt":[{"key":"豫0311","label":"洛阳市洛龙区人民法院","count":311}],
             "byCircumstance":[{"key":"refuses","label":"有履行能力而拒不履行生效法律文书确定义务","count":9120}],
             "bySubjectType":[{"key":"person","label":"自然人","count":9800}],"byPerformance":[{"key":"unperformed","label":"全部未履行","count":8700}],
             "shielding":[{"court":"洛阳市洛龙区人民法院","shielded":40,"medianDays":2,"p90Days":5,"withinRuleShare":0.825}],
             "takedowns":[{"reprinter":"某信用信息网","notices":120,"onTime":110,"onTimeShare":0.9565}]}
            """,
        ["GetRelatedEntries"] = """
            {"publicId":"k3m9x2p7q4r8s1t5","firstListedOn":"2017-04-12","items":[{"publicId":"a8d2f6h1j5k9m3n7",
             "caseNumber":"（2017）豫0311执882号","court":"洛阳市洛龙区人民法院","filedAt":"2017-02-20","publishedAt":"2017-04-12"}]}
            """,
        ["GetChanges"] = $$"""
            {"events":[
              {"cursor":1041,"action":"published","at":"2026-11-20T02:00:00Z","publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号",
               "court":"洛阳市洛龙区人民法院","entry":{{ExampleEntry}},"revokedAt":null,"takedownDueOn":null},
              {"cursor":1042,"action":"shielded","at":"2026-11-20T03:15:00Z","publicId":"7b08h4s0nn604nw3","caseNumber":"（2020）豫0311执2001号",
               "court":"洛阳市洛龙区人民法院","entry":null,"revokedAt":null,"takedownDueOn":"2026-11-25"}],
             "next":1042,"hasMore":false}
            """,
        ["ListTakedowns"] = """
            [{"id":17,"publicId":"7b08h4s0nn604nw3","caseNumber":"（2020）豫0311执2001号","court":"洛阳市洛龙区人民法院","action":"shielded",
              "removedAt":"2026-11-20T03:15:00Z","dueOn":"2026-11-25","dueProvisional":false,"acknowledgedAt":null,"status":"open"}]
            """,
        ["AcknowledgeTakedown"] = """
            {"id":17,"publicId":"7b08h4s0nn604nw3","caseNumber":"（2020）豫0311执2001号","court":"洛阳市洛龙区人民法院","action":"shielded",
             "removedAt":"2026-11-20T03:15:00Z","dueOn":"2026-11-25","dueProvisional":false,"acknowledgedAt":"2026-11-23T01:30:00Z","status":"acknowledged"}
            """,
        ["Verify"] = """
            {"receipt":{"id":"5emh06390hbqkktg","at":"2026-11-22T08:53:51.05566Z","client":"某商业银行","subjects":3,"listed":1,"nameMismatches":0,"invalid":1,
                        "requestDigest":"6b952e61dc8c93e8d56a666bd365595658f68adeca5d78fdaa5b368adb3915b6",
                        "resultDigest":"4c26f48285d8595c65d5c1a26450e5e7ef05de561d35142a096726e8168bb334",
                        "signature":"1c976f8f44bd5faf7f593e0f21486733599094a37f8eead9cc1348cd880120b9",
                        "url":"https://shixin.example.cn/verify/5emh06390hbqkktg"},
             "results":[
               {"index":0,"status":"listed","matches":[{"publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号","court":"洛阳市洛龙区人民法院","publishedAt":"2019-05-31T16:00:00Z"}]},
               {"index":1,"status":"listed","matches":[{"publicId":"k2m9q4xw7c1t8r5a","caseNumber":"（2020）豫0311执2001号","court":"洛阳市洛龙区人民法院","publishedAt":"2020-02-29T16:00:00Z"}],
                "related":[
                  {"index":0,"role":"legalRepresentative","status":"legal_representative","exact":false,"matches":[{"publicId":"k2m9q4xw7c1t8r5a","caseNumber":"（2020）豫0311执2001号","court":"洛阳市洛龙区人民法院","publishedAt":"2020-02-29T16:00:00Z"}]},
                  {"index":1,"role":"controller","status":"listed","exact":true,"matches":[{"publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号","court":"洛阳市洛龙区人民法院","publishedAt":"2019-05-31T16:00:00Z"}]}]},
               {"index":2,"status":"invalid","matches":[],"errorCode":"invalid_id_number","error":"身份证号码校验位错误：第18位应为 2"}]}
            """,
        ["GetVerificationReceipt"] = """
            {"receipt":{"id":"5emh06390hbqkktg","at":"2026-11-22T08:53:51.05566Z","client":"某商业银行","subjects":3,"listed":1,"nameMismatches":0,"invalid":1,
                        "requestDigest":"6b952e61dc8c93e8d56a666bd365595658f68adeca5d78fdaa5b368adb3915b6",
                        "resultDigest":"4c26f48285d8595c65d5c1a26450e5e7ef05de561d35142a096726e8168bb334",
                        "signature":"1c976f8f44bd5faf7f593e0f21486733599094a37f8eead9cc1348cd880120b9",
                        "url":"https://shixin.example.cn/verify/5emh06390hbqkktg"},
             "signatureValid":true}
            """,
        ["SubmitApplication"] = $$"""
            {"trackingCode":"K7QM-2XGA-9RTB-4HNC","dueBy":"2026-11-23","dueProvisional":false,"status":"received","application":{{ExampleApplication}}}
            """,
        ["GetApplication"] = ExampleApplication,
        ["ListIdFamilyClosures"] = """
            [{"masked":"4127021984****1512","closedAt":"2026-11-20T02:00:00Z","reopensAt":"2026-12-20T02:00:00Z","misses":3}]
            """,
        ["CheckVerificationReceipt"] = """{"requestMatches":true,"resultMatches":true}""",
        ["GetMeasureCatalogue"] = """
            [{"code":"flight","name":"限制乘坐飞机","legalBasis":"中办发〔2016〕64号 三、（七）限制高消费及有关消费 1；法释〔2015〕17号 第三条第一款第一项",
              "subjects":["debtor-person","legal-representative","principal","controller","responsible-person"],"retiredOn":null}]
            """,
        ["RecordMeasure"] = ExampleMeasure,
        ["RecordMeasureBatch"] = $$"""{"measures":[{{ExampleMeasure}}]}""",
        ["ListMeasures"] = $"[{ExampleMeasure}]",
        ["WithdrawMeasure"] = ExampleMeasure.Replace("\"active\"", "\"withdrawn\""),
        ["ForwardObjection"] = $$"""
            {"measure":{{ExampleMeasure.Replace("\"active\"", "\"suspended\"").Replace("\"objectionId\":null", "\"objectionId\":88")}},
             "trackingCode":"K7QM-2XGA-9RTB-4HNC","court":"洛阳市洛龙区人民法院","dueBy":"2026-11-23","dueProvisional":false}
            """,
        ["ListMeasureLifts"] = $"[{ExampleLift}]",
        ["AcknowledgeMeasureLift"] = ExampleLift.Replace("\"liftedOn\":null,\"acknowledgedAt\":null,\"status\":\"open\"",
            "\"liftedOn\":\"2026-11-23\",\"acknowledgedAt\":\"2026-11-23T01:30:00Z\",\"status\":\"lifted\""),
        ["GetMeasureEvents"] = $$"""
            {"events":[{"id":9,"type":"lift","at":"2026-11-20T03:15:00Z","measure":{{ExampleMeasure.Replace("\"active\"", "\"lifting\"")}},"lift":{{ExampleLift}},"note":null}],
             "next":9,"hasMore":false}
            """,
        ["GetCourtScreen"] = """
            {"court":{"code":"豫03","name":"洛阳市中级人民法院","label":"洛阳市中级人民法院辖区内"},
             "items":[{"publicId":"4ds3sgyb5cnp7j5t","name":"张三","subjectType":"person","idNumberMasked":"4127021984****1512","creditCode":null,
                       "caseNumber":"（2019）豫0311执1234号","court":"洛阳市洛龙区人民法院","unperformedPart":{"amount":40000,"text":null},"publishedAt":"2019-05-31T16:00:00Z"}],
             "page":1,"pageCount":3,"nextPage":2,"total":3,"refreshSeconds":20,"asOf":"2026-11-20T02:00:00Z"}
            """,
        ["ExportList"] = ExampleEntry.ReplaceLineEndings("") + "\n",
        ["RegisterWatchedSubjects"] = ExampleWatchRegistered,
        ["RegisterWatchedSubjectsCsv"] = ExampleWatchRegistered,
        ["ListWatchedSubjects"] = $$"""{"subjects":[{{ExampleWatched}}],"next":1,"hasMore":false,"total":1}""",
        ["GetWatchedSubject"] = ExampleWatched,
        ["RemoveWatchedSubject"] = """{"removed":1}""",
        ["ClearWatchedSubjects"] = """{"removed":2}""",
        ["GetWatchEvents"] = """
            {"events":[{"id":1,"type":"already_listed","at":"2026-12-07T02:00:00Z","reference":"C-000123","matchedOn":"identifier","nameMatches":true,
                        "publicId":"4ds3sgyb5cnp7j5t","caseNumber":"（2019）豫0311执1234号","court":"洛阳市洛龙区人民法院"}],
             "next":1,"hasMore":false}
            """,
        ["GetRemovalNotices"] = """
            {"total":1,"page":1,"pageSize":50,"pageCount":1,"items":[{"caseNumber":"（2020）豫0311执2001号","court":"洛阳市洛龙区人民法院","action":"shielded","at":"2026-11-20T03:15:00Z","revokedAt":null}]}
            """,
    };
}
