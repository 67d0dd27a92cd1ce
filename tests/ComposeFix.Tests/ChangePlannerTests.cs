using System.Text;
using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Recipes;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>
/// The anchor rule and fail-closed verification, through <see cref="ChangePlanner"/> and
/// <see cref="FixEngine"/> with small recipes written here.
/// </summary>
public sealed class ChangePlannerTests
{
    // Custom recipes borrow catalog ids (FixEngine looks their documentation up in the catalog).
    private const string RecipeId = "no-new-privileges";
    private const string SecondRecipeId = "no-privileged";

    /// <summary>Proposes its changes once: the engine re-runs recipes until nothing changes, and these test recipes do not look at the result.</summary>
    private sealed class TestRecipe(string id, Action<RecipeContext> analyze) : IRecipe
    {
        private bool done;

        public string Id => id;

        public void Analyze(RecipeContext context)
        {
            if (!done)
            {
                done = true;
                analyze(context);
            }
        }
    }

    private static RecipeInfo Info(string id) => new()
    {
        Id = id,
        Title = "test recipe",
        IsReportOnly = false,
        Applicability = Applicability.Safe,
        Summary = "s",
        WhatItDoes = "w",
        Why = "y",
        FixSafety = "f",
        References = [],
        Parameters = [],
    };

    private static FileResult Run(string text, FixOptions? options = null, params IRecipe[] recipes) =>
        new FixEngine(RecipeCatalog.Default, recipes).Run("compose.yml", Encoding.UTF8.GetBytes(text), options ?? new FixOptions());

    private static FileResult Run(string text, Action<RecipeContext> analyze) => Run(text, null, new TestRecipe(RecipeId, analyze));

    /// <summary>A recipe that sets <paramref name="key"/> on the named services (all when none are named).</summary>
    private static Action<RecipeContext> SetOn(string key, NewNode value, params string[] services) => ctx =>
    {
        foreach (var svc in ctx.Document.Services)
        {
            if (services.Length == 0 || services.Contains(svc.Name))
            {
                ctx.Fix(svc, Applicability.Safe, $"set {key}", svc.At(key), new SetIntent(svc.At(key), value));
            }
        }
    };

    private static ComposeDocument Load(string text) => ComposeDocument.Load(SourceText.FromString(text));

    private static List<Fix> Fixes(ComposeDocument doc, Action<RecipeContext> analyze)
    {
        var ctx = new RecipeContext(doc, Info(RecipeId));
        analyze(ctx);
        return ctx.Fixes;
    }

    private const string SharedBase =
        "x-base: &base\n" +
        "  image: nginx\n" +
        "  restart: always\n" +
        "services:\n" +
        "  web:\n" +
        "    <<: *base\n" +
        "  worker:\n" +
        "    <<: *base\n";

    // ------------------------------------------------------------------ (a) and (b): a merged key

    [Fact]
    public void InheritedKey_ChangedForEveryUser_IsEditedOnceInTheAnchor()
    {
        var result = Run(SharedBase, SetOn("restart", NewNode.Scalar("on-failure:5")));

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal(SharedBase.Replace("restart: always", "restart: on-failure:5", StringComparison.Ordinal), result.NewText);
        Assert.Equal(["web", "worker"], result.Applied.Select(f => f.Service));
    }

    [Fact]
    public void InheritedKey_ChangedForEveryUser_PlannerMakesOneEdit()
    {
        var doc = Load(SharedBase);

        var plan = new ChangePlanner(doc).Make(Fixes(doc, SetOn("restart", NewNode.Scalar("on-failure:5"))), inPlace: _ => true);

        var edit = Assert.Single(plan.Edits);
        Assert.Equal("always", doc.Text[edit.Start..edit.End]);
        Assert.Equal("base", Assert.Single(plan.SharedAnchors).Anchor);
        Assert.Equal(2, plan.Applied.Count);
        Assert.Empty(plan.Dropped);
    }

    [Fact]
    public void InheritedKey_ChangedForOneUser_GetsAnOverrideAndTheAnchorStays()
    {
        var result = Run(SharedBase, SetOn("restart", NewNode.Scalar("on-failure:5"), "web"));

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal(
            "x-base: &base\n  image: nginx\n  restart: always\nservices:\n  web:\n    <<: *base\n    restart: on-failure:5\n  worker:\n    <<: *base\n",
            result.NewText);
    }

    [Fact]
    public void InheritedNestedKey_ChangedForOneUser_CopiesTheInheritedMappingIntoTheService()
    {
        const string text =
            "x-base: &base\n" +
            "  image: nginx\n" +
            "  deploy:\n" +
            "    resources:\n" +
            "      limits:\n" +
            "        memory: 1g\n" +
            "services:\n" +
            "  web:\n" +
            "    <<: *base\n" +
            "  worker:\n" +
            "    <<: *base\n";
        var result = Run(text, ctx =>
        {
            var web = ctx.Document.Service("web")!;
            var path = web.At("deploy", "resources", "limits", "cpus");
            ctx.Fix(web, Applicability.Safe, "cpus", path, new SetIntent(path, NewNode.Number("0.5")));
        });

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal(
            text.Replace(
                "  web:\n    <<: *base\n",
                "  web:\n    <<: *base\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n          cpus: 0.5\n",
                StringComparison.Ordinal),
            result.NewText);
        var after = Load(result.NewText!);
        Assert.Equal("0.5", ((SemScalar)SemOps.Get(after.Meaning, SemPath.Of("services", "web", "deploy", "resources", "limits", "cpus"))!).Value);
        Assert.Null(SemOps.Get(after.Meaning, SemPath.Of("services", "worker", "deploy", "resources", "limits", "cpus")));
    }

    [Fact]
    public void AliasedScalar_ChangedForOneUser_ReplacesThatAliasOnly()
    {
        const string text = "x-restart: &r always\nservices:\n  web:\n    restart: *r\n  worker:\n    restart: *r\n";

        var result = Run(text, SetOn("restart", NewNode.Scalar("on-failure:5"), "web"));

        Assert.Equal("x-restart: &r always\nservices:\n  web:\n    restart: on-failure:5\n  worker:\n    restart: *r\n", result.NewText);
    }

    // ------------------------------------------------------------------ (c): a service that is itself an anchor

    [Fact]
    public void ServiceThatIsAnAliasTarget_KeyAddedToBothServices()
    {
        const string text = "services:\n  web: &web\n    image: nginx\n  worker:\n    <<: *web\n    command: work\n";

        var result = Run(text, SetOn("restart", NewNode.Scalar("on-failure:5")));

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Empty(result.Findings);
        var after = Load(result.NewText!);
        Assert.Equal("on-failure:5", after.Service("web")!.GetString("restart"));
        Assert.Equal("on-failure:5", after.Service("worker")!.GetString("restart"));
        Assert.Equal("work", after.Service("worker")!.GetString("command"));
        Assert.Equal("services:\n  web: &web\n    image: nginx\n    restart: on-failure:5\n  worker:\n    <<: *web\n    command: work\n    restart: on-failure:5\n", result.NewText);
    }

    [Fact]
    public void ServiceThatIsAnAliasTarget_KeyForItAloneCannotBeAdded_IsDroppedWithFinding()
    {
        const string text = "services:\n  web: &web\n    image: nginx\n  worker:\n    <<: *web\n";

        var result = Run(text, SetOn("restart", NewNode.Scalar("on-failure:5"), "web"));

        Assert.Equal(FileStatus.Unchanged, result.Status);
        Assert.Equal(text, result.NewText);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("web", finding.Service);
        Assert.StartsWith("not changed: set restart", finding.Note, StringComparison.Ordinal);
        Assert.Contains("&web", finding.Note);
    }

    // ------------------------------------------------------------------ (d): dropped intents

    [Fact]
    public void IntentThatCannotBeApplied_IsDroppedWithFinding_RestIsFixed()
    {
        const string text = "services:\n  web:\n    image: nginx\n  db:\n    image: postgres\n";

        var result = Run(text, ctx =>
        {
            var web = ctx.Document.Service("web")!;
            var db = ctx.Document.Service("db")!;
            ctx.Fix(web, Applicability.Safe, "restart web", web.At("restart"), new SetIntent(web.At("restart"), NewNode.Scalar("always")));
            ctx.Fix(db, Applicability.Safe, "append to image", db.At("image"), new AppendIntent(db.At("image"), NewNode.Scalar("x")));
        });

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal("services:\n  web:\n    image: nginx\n    restart: always\n  db:\n    image: postgres\n", result.NewText);
        Assert.Equal(["web"], result.Applied.Select(f => f.Service));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("db", 5, 12), (finding.Service, finding.Line, finding.Column)); // at the value
        Assert.Contains("not a list", finding.Note);
    }

    [Fact]
    public void PathThroughAScalar_IsDropped()
    {
        const string text = "services:\n  web:\n    image: nginx\n";

        var result = Run(text, ctx =>
        {
            var web = ctx.Document.Service("web")!;
            var path = web.At("image", "tag");
            ctx.Fix(web, Applicability.Safe, "bad path", path, new SetIntent(path, NewNode.Scalar("x")));
        });

        Assert.Equal(FileStatus.Unchanged, result.Status);
        Assert.Contains("not a mapping", Assert.Single(result.Findings).Note);
    }

    [Fact]
    public void TwoFixesEditingTheSameText_SecondIsDropped()
    {
        var doc = Load("services:\n  web:\n    restart: always\n");
        var fixes = Fixes(doc, ctx =>
        {
            var web = ctx.Document.Service("web")!;
            ctx.Fix(web, Applicability.Safe, "one", web.At("restart"), new SetIntent(web.At("restart"), NewNode.Scalar("no", Quoting.Always)));
            ctx.Fix(web, Applicability.Safe, "two", web.At("restart"), new SetIntent(web.At("restart"), NewNode.Scalar("on-failure")));
        });

        var plan = new ChangePlanner(doc).Make(fixes, inPlace: _ => true);

        Assert.Equal(["one"], plan.Applied.Select(f => f.Note));
        var (fix, reason) = Assert.Single(plan.Dropped);
        Assert.Equal("two", fix.Note);
        Assert.Contains("same text", reason);
    }

    [Fact]
    public void TwoFixesAppendingToOneCommentedFlowSequence_Compose()
    {
        const string text = "services:\n  web:\n    image: nginx\n    cap_drop: [\n      NET_RAW  # raw sockets\n    ]\n";

        var result = Run(text, ctx =>
        {
            var web = ctx.Document.Service("web")!;
            var path = web.At("cap_drop");
            ctx.Fix(web, Applicability.Safe, "one", path, new AppendIntent(path, NewNode.Scalar("MKNOD")));
            ctx.Fix(web, Applicability.Safe, "two", path, new AppendIntent(path, NewNode.Scalar("SYS_ADMIN")));
        });

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal("services:\n  web:\n    image: nginx\n    cap_drop: [\n      NET_RAW,  # raw sockets\n      MKNOD,\n      SYS_ADMIN,\n    ]\n", result.NewText);
    }

    // ------------------------------------------------------------------ (e): fail closed

    [Fact]
    public void EditThatChangesMeaningUnexpectedly_IsRefusedAndFileUnchanged()
    {
        const string text = "services:\n  web:\n    image: nginx\n  db:\n    image: postgres\n";

        // Claims to write the string "123", but the text 123 reads back as an integer.
        var result = Run(text, ctx =>
        {
            foreach (var svc in ctx.Document.Services)
            {
                ctx.Fix(svc, Applicability.Safe, "liar", svc.At("user"), new SetIntent(svc.At("user"), new NewRaw("123", SemScalar.Text("123"))));
            }
        });

        Assert.Equal(FileStatus.Error, result.Status);
        Assert.Equal(text, result.NewText);
        Assert.Equal(Encoding.UTF8.GetBytes(text), result.NewBytes);
        Assert.Contains($"recipe {RecipeId}", result.Error!.Message);
        Assert.Contains(".user: \"123\" became 123", result.Error.Message);
    }

    [Fact]
    public void FailedRecipe_UndoesEarlierRecipesToo()
    {
        const string text = "services:\n  web:\n    image: nginx\n";
        var good = new TestRecipe(RecipeId, SetOn("restart", NewNode.Scalar("always")));
        var bad = new TestRecipe(SecondRecipeId, ctx =>
        {
            var web = ctx.Document.Service("web")!;
            ctx.Fix(web, Applicability.Safe, "liar", web.At("user"), new SetIntent(web.At("user"), new NewRaw("true", SemScalar.Text("true"))));
        });

        var result = Run(text, null, good, bad);

        Assert.Equal(FileStatus.Error, result.Status);
        Assert.Equal(text, result.NewText);
        Assert.Contains($"recipe {SecondRecipeId}", result.Error!.Message);
    }

    // ------------------------------------------------------------------ engine plumbing

    [Fact]
    public void UnsafeFix_IsHeldBackUnlessAsked()
    {
        const string text = "services:\n  web:\n    image: nginx\n";
        Action<RecipeContext> analyze = ctx =>
        {
            var web = ctx.Document.Service("web")!;
            ctx.Fix(web, Applicability.Unsafe, "unsafe", web.At("read_only"), new SetIntent(web.At("read_only"), NewNode.Bool(true)));
        };

        var held = Run(text, null, new TestRecipe(RecipeId, analyze));
        var applied = Run(text, new FixOptions { UnsafeFixes = true }, new TestRecipe(RecipeId, analyze));

        Assert.Equal(FileStatus.Unchanged, held.Status);
        Assert.Single(held.HeldBack);
        Assert.Equal(FileStatus.Changed, applied.Status);
        Assert.Equal("services:\n  web:\n    image: nginx\n    read_only: true\n", applied.NewText);
    }

    [Fact]
    public void OnlyAndSkip_SelectRecipes()
    {
        const string text = "services:\n  web:\n    image: nginx\n";
        var a = new TestRecipe(RecipeId, SetOn("restart", NewNode.Scalar("always")));
        var b = new TestRecipe(SecondRecipeId, SetOn("user", NewNode.Scalar("app")));

        var only = Run(text, new FixOptions { Only = new HashSet<string> { SecondRecipeId } }, a, b);
        var skip = Run(text, new FixOptions { Skip = new HashSet<string> { SecondRecipeId } }, a, b);

        Assert.Equal("services:\n  web:\n    image: nginx\n    user: app\n", only.NewText);
        Assert.Equal("services:\n  web:\n    image: nginx\n    restart: always\n", skip.NewText);
    }

    [Fact]
    public void LaterRecipe_SeesTheEarlierRecipesResult()
    {
        const string text = "services:\n  web:\n    image: nginx\n";
        string? seen = null;
        var first = new TestRecipe(RecipeId, SetOn("restart", NewNode.Scalar("always")));
        var second = new TestRecipe(SecondRecipeId, ctx => seen = ctx.Document.Service("web")!.GetString("restart"));

        var result = Run(text, null, first, second);

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal("always", seen);
    }

    [Fact]
    public void SecondRun_IsUnchanged()
    {
        Action<RecipeContext> analyze = ctx =>
        {
            foreach (var svc in ctx.Document.Services.Where(s => s.GetString("restart") != "on-failure:5"))
            {
                ctx.Fix(svc, Applicability.Safe, "restart", svc.At("restart"), new SetIntent(svc.At("restart"), NewNode.Scalar("on-failure:5")));
            }
        };

        var first = Run(SharedBase, analyze);
        var second = Run(first.NewText!, analyze);

        Assert.Equal(FileStatus.Changed, first.Status);
        Assert.Equal(FileStatus.Unchanged, second.Status);
        Assert.Equal(first.NewText, second.NewText);
    }

    [Fact]
    public void LaterYamlDocument_IsNeverTouched()
    {
        const string text = "services:\n  web:\n    image: nginx\n---\nservices:\n  web:\n    image: other\n";

        var result = Run(text, SetOn("restart", NewNode.Scalar("always")));

        Assert.Equal("services:\n  web:\n    image: nginx\n    restart: always\n---\nservices:\n  web:\n    image: other\n", result.NewText);
    }

    [Fact]
    public void BomAndCrlf_SurviveTheEngine()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("services:\r\n  web:\r\n    image: nginx")];

        var result = new FixEngine(RecipeCatalog.Default, [new TestRecipe(RecipeId, SetOn("restart", NewNode.Scalar("always")))])
            .Run("compose.yml", bytes, new FixOptions());

        Assert.Equal([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("services:\r\n  web:\r\n    image: nginx\r\n    restart: always")], result.NewBytes);
    }

    [Fact]
    public void LegacyLayout_IsReportedAndNotChanged()
    {
        var result = Run("web:\n  image: nginx\n", SetOn("restart", NewNode.Scalar("always")));

        Assert.Equal(FileStatus.Unchanged, result.Status);
        Assert.Contains("v1 layout", Assert.Single(result.Findings).Note);
    }

    [Fact]
    public void InvalidInput_IsErrorWithPosition()
    {
        var result = Run("services:\n  web: [1, 2\n  db: 3", SetOn("restart", NewNode.Scalar("always")));

        Assert.Equal(FileStatus.Error, result.Status);
        Assert.NotNull(result.Error);
        Assert.Null(result.NewText);
    }

    [Fact]
    public void RecipeContext_ParametersComeFromTheInfoAndOverrides()
    {
        var info = new RecipeInfo
        {
            Id = "x",
            Title = "t",
            IsReportOnly = false,
            Applicability = Applicability.Safe,
            Summary = "s",
            WhatItDoes = "w",
            Why = "y",
            FixSafety = "f",
            References = [],
            Parameters = [new RecipeParameter("max", "int", new SemScalar("int", "5"), "d"), new RecipeParameter("names", "list", new SemSeq([SemScalar.Text("a")]), "d")],
        };
        var doc = Load("services: {}\n");

        var ctx = new RecipeContext(doc, info, new Dictionary<string, Sem> { ["max"] = new SemScalar("int", "3") });

        Assert.Equal(3, ctx.IntParameter("max"));
        Assert.Equal(["a"], ctx.ListParameter("names"));
        Assert.Throws<InvalidOperationException>(() => ctx.Parameter("nope"));
    }
}
