using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>docker-socket</b> — mount the Docker socket read-only, and report every service that can reach
/// the Docker API.
/// <para>Why: whoever can talk to the Docker API controls the host (one request starts a privileged
/// container with the host's root filesystem mounted). CIS Docker Benchmark 5.32, OWASP rule #1.</para>
/// <para>A socket mount is a bind mount whose source ends in <c>docker.sock</c>
/// (<c>/var/run/docker.sock</c>, <c>/run/docker.sock</c>, rootless <c>${XDG_RUNTIME_DIR}/docker.sock</c>),
/// or whose source is a variable and whose target ends in <c>docker.sock</c>
/// (<c>${DOCKER_SOCK}:/var/run/docker.sock</c>). A bind mount of <c>/</c>, <c>/run</c> or <c>/var/run</c>
/// holds the socket too (bind mounts are recursive, and connecting to a socket works through a
/// read-only mount): it is reported, and left to <c>sensitive-mounts</c>.</para>
/// <para>Fix safety: making the mount read-only is safe — clients only connect to the socket, they
/// never write the file — but it is almost no protection: a read-only socket still accepts every API
/// request. So every socket mount is reported, read-only or not, and so is
/// <c>use_api_socket: true</c>. An explicit <c>:rw</c> or <c>read_only: false</c> is changed only as an
/// unsafe fix; a mode or <c>read_only</c> from a variable is left alone.</para>
/// </summary>
public sealed class DockerSocket : IRecipe
{
    public string Id => "docker-socket";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("use_api_socket") is SemScalar { Value: "true" })
            {
                context.Report(service, "use_api_socket: true gives the container the Docker API socket and your registry credentials: control of the Docker daemon is root on the host (CIS 5.32); remove it or use a filtering API proxy", service.At("use_api_socket"));
            }

            foreach (var mount in VolumeMount.Of(service))
            {
                if (!mount.IsDockerSocket)
                {
                    if (mount.IsBind && mount.Source is { } dir && VolumeMount.HostPath(dir) is "/" or "/run" or "/var/run")
                    {
                        context.Report(service, $"mounts {dir}, which holds the Docker socket: read-only or not, the container can connect to it and control the Docker daemon, and so the host (CIS 5.32); mount only the paths it needs", mount.Path);
                    }

                    continue;
                }

                string source = mount.Source!;
                context.Report(service, $"mounts the Docker socket {source}: whoever controls this container controls the Docker daemon, and so the host, read-only or not (CIS 5.32); remove the mount or put an API-filtering proxy in between", mount.Path);
                if (mount.ReadOnly == true)
                {
                    continue;
                }

                if (mount.ReadOnlyIsVariable)
                {
                    context.Report(service, $"the mode of the Docker socket mount {source} comes from a variable; make it read-only", mount.Path);
                    continue;
                }

                if (mount.ReadOnly == false)
                {
                    string was = mount.ShortSyntax is not null ? "rw" : "read_only: false";
                    context.Fix(service, Applicability.Unsafe, $"mount the Docker socket {source} read-only instead of the explicit {was} (a client never writes the socket file, but the explicit {was} may be there for a reason)", mount.Path, mount.ReadOnlyIntent());
                }
                else
                {
                    context.Fix(service, Applicability.Safe, $"mount the Docker socket {source} read-only (the container can no longer replace the socket file; the API itself stays fully usable)", mount.Path, mount.ReadOnlyIntent());
                }
            }
        }
    }
}
