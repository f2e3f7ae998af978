// "Site admin at NOR-TROMSO-GRID": a grant with its scope's name.
import { useQuery } from '@tanstack/react-query';
import { api } from '../lib/api';
import { roleLabel, type Grant } from '../lib/types';
import { registryKeys } from '../routes/registry/hooks';

const PATHS: Record<string, [string, (id: string) => readonly unknown[]]> = {
  ngi: ['/api/v1/ngis/', registryKeys.ngis.detail],
  site: ['/api/v1/sites/', registryKeys.sites.detail],
  vo: ['/api/v1/vos/', registryKeys.vos.detail],
};

export function GrantLabel({ grant }: { grant: Grant }) {
  const target = PATHS[grant.scopeType];
  const scope = useQuery({
    queryKey: target ? target[1](grant.scopeId) : ['none'],
    enabled: Boolean(target && grant.scopeId),
    queryFn: () => api<{ name: string }>(`${target![0]}${encodeURIComponent(grant.scopeId)}`),
    staleTime: 300_000,
    retry: false,
  });
  const where = grant.scopeType === 'federation' ? 'federation' : (scope.data?.name ?? grant.scopeType);
  return (
    <>
      {roleLabel(grant.role)} <span className="muted">at {where}</span>
    </>
  );
}
