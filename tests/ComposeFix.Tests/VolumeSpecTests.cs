using ComposeFix.Compose;

namespace ComposeFix.Tests;

public sealed class VolumeSpecTests
{
    [Theory]
    [InlineData("/data", null, "/data", "")]
    [InlineData("./a:/b", "./a", "/b", "")]
    [InlineData("/a:/b:ro,z", "/a", "/b", "ro|z")]
    [InlineData(@"C:\data:/data", @"C:\data", "/data", "")]
    [InlineData(@"C:\data:C:\target:ro", @"C:\data", @"C:\target", "ro")]
    [InlineData("${X:-/var/run/docker.sock}:/var/run/docker.sock", "${X:-/var/run/docker.sock}", "/var/run/docker.sock", "")]
    [InlineData("vol:/data:nocopy", "vol", "/data", "nocopy")]
    [InlineData("a", null, "a", "")]
    public void Parses(string text, string? source, string target, string options)
    {
        var spec = VolumeSpec.Parse(text)!;
        Assert.Equal(source, spec.Source);
        Assert.Equal(target, spec.Target);
        Assert.Equal(options, string.Join('|', spec.Options));
        Assert.Equal(text, spec.Format());
    }

    [Theory]
    [InlineData("/a:/b", "/a:/b:ro")]
    [InlineData("/a:/b:z", "/a:/b:ro,z")]
    [InlineData("/a:/b:rw", "/a:/b:ro")]
    [InlineData("/a:/b:rw,z", "/a:/b:ro,z")]
    [InlineData("/a:/b:z,rw,ro,rw", "/a:/b:z,ro")]
    [InlineData("/a:/b:ro", "/a:/b:ro")]
    [InlineData("/a:/b:cached", "/a:/b:ro,cached")]
    public void ReadOnly(string text, string expected) => Assert.Equal(expected, VolumeSpec.Parse(text)!.AsReadOnly().Format());

    [Fact]
    public void Invalid()
    {
        Assert.Null(VolumeSpec.Parse("/a:/b:ro:x"));
        Assert.Null(VolumeSpec.Parse("/a::ro"));
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("//etc/./ssl/", "/etc/ssl")]
    [InlineData("/etc/../root", "/root")]
    [InlineData("/..", "/")]
    [InlineData("~/x/", "~/x")]
    [InlineData("./x", null)]
    [InlineData("${HOME}/x", null)]
    public void HostPath(string source, string? expected) => Assert.Equal(expected, VolumeMount.HostPath(source));

    [Theory]
    [InlineData("seccomp=/p:q.json", "seccomp", "/p:q.json", '=')]
    [InlineData("seccomp:unconfined", "seccomp", "unconfined", ':')]
    [InlineData("no-new-privileges", "no-new-privileges", null, null)]
    public void SecurityOpts(string text, string key, string? value, char? sep)
    {
        var o = SecurityOpt.Parse(text);
        Assert.Equal((key, value, sep), (o.Key, o.Value, o.Separator));
        Assert.Equal(text, o.Format());
    }
}
